import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import sirv from 'sirv';
import type { RequestTarget } from './http/request-target.ts';

/** Headers every response carries. Script and style sources are pinned by the pages' meta CSP. */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  // same-origin: nothing leaves for other sites, and our own form posts keep their Origin header.
  'Referrer-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export type StaticHandler = (req: IncomingMessage, res: ServerResponse, target: RequestTarget) => void;

/** Every folder of the build that holds an index.html, as a site path ("/", "/angebot/"). */
function pageFolders(distDir: string): Set<string> {
  const folders = new Set<string>();
  for (const entry of readdirSync(distDir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name === 'index.html') {
      const folder = relative(distDir, entry.parentPath).split(sep).filter(Boolean).join('/');
      folders.add(folder ? `/${folder}/` : '/');
    }
  }
  return folders;
}

/**
 * Serves the built site: precompressed files (brotli, gzip) with ETags, hashed assets cached
 * for a year, pages revalidated, `/page` redirected to `/page/`, and the 404 page in the
 * visitor's language with status 404.
 *
 * No request path ever reaches the filesystem: sirv looks files up in the list it made of
 * `dist/` at start, and the redirect asks a set of known page folders, also made at start.
 */
export function staticSite(distDir: string): StaticHandler {
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
  const folders = pageFolders(distDir);
  const notFoundPages = {
    de: readFileSync(join(distDir, '404.html')),
    en: readFileSync(join(distDir, 'en', '404.html')),
  };

  return (req, res, { path, rawPath, search }) => {
    if (!path.endsWith('/') && folders.has(`${path}/`)) {
      res.writeHead(301, { Location: `${rawPath}/${search}`, ...securityHeaders }).end();
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
