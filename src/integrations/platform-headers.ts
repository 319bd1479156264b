import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { securityHeaders } from '../../functions/http/headers.ts';

/** The `_headers` rules for every static file, from the one source the Node server uses too. */
export function headersFile(site: string): string {
  const headers = securityHeaders({ hsts: new URL(site).protocol === 'https:' });
  return ['/*', ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n') + '\n';
}

/**
 * Cloudflare (static assets) and Netlify serve the static files themselves and read their headers
 * from a `_headers` file in the published folder; this writes it after the build from
 * `securityHeaders()` (functions/http/headers.ts), so the static pages carry exactly the headers
 * the Node server sends. The adapters add their own `/_astro/*` caching rule to the same file
 * (Cloudflare) or to .netlify/v1/config.json (Netlify); the rule here sets no Cache-Control, because
 * both platforms join the values of two matching rules. Answers rendered on demand get the same
 * headers from src/middleware.ts: `_headers` does not apply to them.
 */
export function platformHeaders(options: { site: string }): AstroIntegration {
  return {
    name: 'platform-headers',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const file = join(fileURLToPath(dir), '_headers');
        const rules = headersFile(options.site);
        // The adapter may have written its caching rule already (the order of the hooks is not ours).
        const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
        if (!existing.includes(rules)) writeFileSync(file, `${rules}${existing ? `\n${existing}` : ''}`);
        logger.info(`security headers for static files written to ${file}`);
      },
    },
  };
}
