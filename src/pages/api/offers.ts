import type { APIRoute } from 'astro';
import { portalOf } from '../../lib/portal.ts';

/** POST /api/offers: the offer as JSON (the island, scripts). The intake answers; see functions/offers/intake.ts. */
export const prerender = false;

export const ALL: APIRoute = async ({ request, locals }) => {
  const portal = portalOf(locals);
  return portal.intake.api(request, { ip: portal.clientAddress });
};
