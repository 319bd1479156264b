/**
 * The one module of Cloudflare's runtime that the portal imports (functions/cloudflare/platform.ts):
 * the Worker's environment, available at module scope. Declared here so that no Workers type
 * package is needed.
 */
declare module 'cloudflare:workers' {
  export const env: Record<string, unknown>;
}
