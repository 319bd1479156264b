import type { OfferIntake } from './offers/intake.ts';
import type { OfferStore } from './storage/types.ts';
import type { Logger } from './lib/log.ts';

/**
 * What every platform (the Node server, Cloudflare, Netlify) hands to the on-demand routes in
 * `Astro.locals.portal`: the intake, the store, and the client address as the platform knows it.
 */
export interface PortalContext {
  intake: OfferIntake;
  store: OfferStore;
  /** The client's address for the rate limit (after the proxy rules of the platform). */
  clientAddress: string;
  /** Log lines without personal data. */
  log: Logger;
}
