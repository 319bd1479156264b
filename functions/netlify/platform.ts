import type { PortalProvider } from '../platform.ts';
import { portalContext } from '../services.ts';
import { netlifyServices } from './services.ts';

/**
 * `#platform` on Netlify (astro.config.mjs): @astrojs/netlify writes the function that renders
 * the on-demand routes and passes no locals of ours, so src/middleware.ts asks here. The client
 * address is Netlify's (`context.ip`), which the adapter hands to Astro as clientAddress; the
 * environment is the site's environment variables in process.env.
 */
export const portalFor: PortalProvider = async ({ clientAddress }) => {
  const { services } = await netlifyServices();
  return portalContext(services, clientAddress);
};
