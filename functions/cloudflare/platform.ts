import type { PortalProvider } from '../platform.ts';
import { portalContext } from '../services.ts';
import type { CloudflareEnv } from './env.ts';
import { cloudflareServices } from './services.ts';

/**
 * `#platform` on Cloudflare (astro.config.mjs): the Astro adapter owns the Worker's fetch
 * handler and passes no locals of ours, so src/middleware.ts asks here. The bindings come from
 * `cloudflare:workers` (the adapter's supported way since Astro 6), the client address from
 * Cloudflare's `CF-Connecting-IP`, which the adapter hands to Astro as clientAddress.
 *
 * The import is dynamic because the same middleware is bundled for prerendering in Node
 * (prerenderEnvironment 'node'), where `cloudflare:` modules do not exist; prerendered pages never
 * get here (the middleware returns before), so Node never loads it.
 */
export const portalFor: PortalProvider = async ({ clientAddress }) => {
  const { env } = await import('cloudflare:workers');
  const { services } = cloudflareServices(env as CloudflareEnv);
  return portalContext(services, clientAddress);
};
