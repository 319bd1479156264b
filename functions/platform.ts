import type { OfferIntake } from './offers/intake.ts';
import type { OfferStore } from './storage/types.ts';
import type { Logger } from './lib/log.ts';
import type { Lifecycle } from './lifecycle/lifecycle.ts';
import type { LinkSigner } from './lifecycle/links.ts';

/**
 * What every platform (the Node server, Cloudflare, Netlify) hands to the on-demand routes in
 * `Astro.locals.portal`: the intake, the store, the offer's life (the pages of the signed links), and the client address as the platform knows it.
 */
export interface PortalContext {
  intake: OfferIntake;
  store: OfferStore;
  /** Checks the signed links of the action pages and takes their steps. */
  lifecycle: Lifecycle;
  links: LinkSigner;
  /** The client's address for the rate limit (after the proxy rules of the platform). */
  clientAddress: string;
  /** Log lines without personal data. */
  log: Logger;
}
