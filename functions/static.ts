import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';

/** Headers every response carries. Script and style sources are pinned by the pages' meta CSP. */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  // same-origin: nothing leaves for other sites, and our own form posts keep their Origin header.
  'Referrer-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves the built site: precompressed files (brotli, gzip) with ETags, hashed assets cached
 * for a year, pages revalidated, `/page` redirected to `/page/`, and the 404 page in the
 * visitor's language with status 404.
 */
export function staticSite(distDir: string): Listener {
  const files = sirv(distDir, {
    dev: false,
    etag: true,
    gzip: true,
    brotli: true,
    setHeaders(res, pathname) {
      for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      );
    },
  });
  const notFoundPages = {
    de: readFileSync(join(distDir, '404.html')),
    en: readFileSync(join(distDir, 'en', '404.html')),
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    if (!path.endsWith('/') && !/\.[a-z0-9]+$/i.test(path) && existsSync(join(distDir, path, 'index.html'))) {
      res.writeHead(301, { Location: `${url.pathname}/${url.search}`, ...securityHeaders }).end();
      return;
    }
    files(req, res, () => {
      const page = path === '/en' || path.startsWith('/en/') ? notFoundPages.en : notFoundPages.de;
      res.writeHead(404, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        ...securityHeaders,
      });
      res.end(req.method === 'HEAD' ? undefined : page);
    });
  };
}
