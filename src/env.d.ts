import type { PortalContext } from '../functions/platform.ts';

declare global {
  namespace App {
    interface Locals {
      /** Set by the platform's entry (functions/server.ts on Node) for on-demand routes. */
      portal?: PortalContext;
    }
  }
}
