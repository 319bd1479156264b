import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import sirv from 'sirv';
import type { RequestTarget } from './http/request-target.ts';

export interface StaticSite {
  /** Answers `/page` with a redirect to `/page/` for a known page; false for anything else. */
  redirect(req: IncomingMessage, res: ServerResponse, target: RequestTarget): boolean;
  /** Serves a file of the build, or the 404 page in the visitor's language. */
  serve(req: IncomingMessage, res: ServerResponse, target: RequestTarget): void;
}

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
export function staticSite(
  distDir: string,
  options: { headers: Record<string, string>; pages?: readonly string[] },
): StaticSite {
  const { headers } = options;
  const files = sirv(distDir, {
    dev: false,
    etag: true,
    gzip: true,
    brotli: true,
    setHeaders(res, pathname) {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      );
    },
  });
  // Built pages and pages rendered on demand (they have no folder in the build).
  const folders = new Set([...pageFolders(distDir), ...(options.pages ?? [])]);
  const notFoundPages = {
    de: readFileSync(join(distDir, '404.html')),
    en: readFileSync(join(distDir, 'en', '404.html')),
  };

  return {
    redirect(_req, res, { path, rawPath, search }) {
      if (path.endsWith('/') || !folders.has(`${path}/`)) return false;
      res.writeHead(301, { Location: `${rawPath}/${search}`, ...headers }).end();
      return true;
    },
    serve(req, res, { path }) {
      files(req, res, () => {
        const page = path === '/en' || path.startsWith('/en/') ? notFoundPages.en : notFoundPages.de;
        res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
        res.end(req.method === 'HEAD' ? undefined : page);
      });
    },
  };
}
