import type { Server } from 'node:http';
import { startPortal } from '../../functions/server.ts';
import { distDir } from './content-files.ts';

/** The project's own server on a free loopback port, serving the production build. */
export async function startTestPortal(): Promise<{ url: string; close: () => Promise<void> }> {
  const { server, url } = await startPortal({ port: 0, host: '127.0.0.1', distDir });
  return { url, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Every page path listed in the built sitemap. */
export async function sitemapPaths(baseUrl: string): Promise<string[]> {
  const index = await (await fetch(`${baseUrl}/sitemap-index.xml`)).text();
  const maps = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  const paths: string[] = [];
  for (const map of maps) {
    const xml = await (await fetch(`${baseUrl}${map}`)).text();
    paths.push(...[...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname));
  }
  return paths;
}

