import { startPortal, type Portal } from '../../functions/server.ts';
import { loadConfig } from '../../functions/config.ts';
import { tempDataDir } from './offers.ts';

/** The project's own server on a free loopback port: the production build, a fresh database. */
export async function startTestPortal(): Promise<Portal> {
  return startPortal({ ...loadConfig({}), port: 0, dataDir: tempDataDir(), rateLimit: { limit: 0, windowMs: 1 } });
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
