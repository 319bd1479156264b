import type { PortalContext } from '../../functions/platform.ts';

/** The platform's parts for an on-demand route; a route without them cannot work at all. */
export function portalOf(locals: App.Locals): PortalContext {
  if (!locals.portal)
    throw new Error(
      'On-demand route without Astro.locals.portal: start the portal through its platform entry (npm start)',
    );
  return locals.portal;
}
