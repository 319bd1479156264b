import type { PortalProvider } from '../platform.ts';

/**
 * On Node the portal's process (functions/server.ts) builds the services once and hands them to
 * Astro's handler with every request, so the middleware has nothing to add.
 */
export const portalFor: PortalProvider = async () => undefined;
