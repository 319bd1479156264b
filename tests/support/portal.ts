import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPortal, type Portal } from '../../functions/server.ts';
import { loadConfig, type ServerConfig } from '../../functions/config.ts';
import { tempDataDir } from './offers.ts';
import { silentLogger } from '../../functions/lib/log.ts';

/**
 * The project's own server on a free loopback port: the production build, a fresh database.
 * `overrides` change its configuration (e.g. a settings file with published rent limits).
 */
export async function startTestPortal(overrides: Partial<ServerConfig> = {}): Promise<Portal & { dataDir: string }> {
  const dataDir = tempDataDir();
  // Mail goes out as .eml files into dataDir/mail (no SMTP_URL): the tests read them there.
  // Log lines stay out of the test output: a passing run prints the summary and its tables only.
  const portal = await startPortal(
    { ...loadConfig({}), port: 0, dataDir, rateLimit: { limit: 0, windowMs: 1 }, ...overrides },
    { log: silentLogger },
  );
  return { ...portal, dataDir };
}

/** The .eml files the portal wrote for one offer reference, as raw text, waiting briefly for the worker. */
export async function mailsFor(dataDir: string, reference: string, expected: number): Promise<string[]> {
  const dir = join(dataDir, 'mail');
  for (let i = 0; i < 100; i++) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(reference)) : [];
    if (files.length >= expected) return files.sort().map((f) => readFileSync(join(dir, f), 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
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
