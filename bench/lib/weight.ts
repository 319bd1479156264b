import { sitemapPaths } from '../../tests/support/portal.ts';
import { Agent, get } from 'node:http';
import { chromium } from 'playwright-core';
import { chromiumFlags, chromiumPath } from './paths.ts';
import { offerPages } from './options.ts';

/**
 * Page weight of every sitemap page on a first visit. Chromium (phone viewport, empty cache)
 * says which requests a page makes and what went over the wire; each of those files is then
 * fetched once with `Accept-Encoding: br` (compressed, as served) and once with `identity` (raw),
 * so every figure is exact bytes, independent of what Chromium negotiated.
 */

export const categories = ['html', 'css', 'js', 'fonts', 'images', 'other'] as const;
export type Category = (typeof categories)[number];
export type Sizes = Record<Category | 'total', number>;

export interface PageWeight {
  path: string;
  requests: number;
  /** Compressed body bytes (brotli where the server has it; fonts are already compressed). */
  br: Sizes;
  /** Uncompressed body bytes. */
  raw: Sizes;
  /** What Chromium counted: encoded bodies plus response headers, as in tests/browser/site.test.ts. */
  wire: Sizes;
  /** Content-Encodings Chromium received (shows whether it negotiated br over plain HTTP). */
  chromiumEncodings: string[];
  offsite: string[];
}

export interface WeightResult {
  pages: PageWeight[];
  problems: string[];
}

function category(resourceType: string): Category {
  switch (resourceType) {
    case 'document':
      return 'html';
    case 'stylesheet':
      return 'css';
    case 'script':
      return 'js';
    case 'font':
      return 'fonts';
    case 'image':
      return 'images';
    default:
      return 'other';
  }
}

const zero = (): Sizes => ({ html: 0, css: 0, js: 0, fonts: 0, images: 0, other: 0, total: 0 });

function bodyBytes(agent: Agent, url: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { 'accept-encoding': encoding } }, (res) => {
      let n = 0;
      res.on('data', (chunk: Buffer) => (n += chunk.length));
      res.on('end', () => resolve(n));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export async function measureWeight(
  baseUrl: string,
  budgets: { pageBytes: number; offerScriptBytes: number },
): Promise<WeightResult> {
  const paths = await sitemapPaths(baseUrl);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const sizeCache = new Map<string, Promise<{ br: number; raw: number }>>();
  const sizesOf = (url: string) => {
    let entry = sizeCache.get(url);
    if (!entry) {
      entry = Promise.all([bodyBytes(agent, url, 'br'), bodyBytes(agent, url, 'identity')]).then(([br, raw]) => ({
        br,
        raw,
      }));
      sizeCache.set(url, entry);
    }
    return entry;
  };
  const pages: PageWeight[] = [];
  const problems: string[] = [];
  try {
    for (const path of paths) {
      // A fresh context is a first visit: empty cache. Phone, as in the browser tests.
      const context = await browser.newContext({
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
      });
      const page = await context.newPage();
      const seen: Array<Promise<{ url: string; category: Category; wire: number; encoding: string }>> = [];
      page.on('requestfinished', (request) => {
        seen.push(
          (async () => {
            const sizes = await request.sizes();
            const response = await request.response();
            const encoding = (await response?.headerValue('content-encoding')) ?? 'identity';
            return {
              url: request.url(),
              category: category(request.resourceType()),
              wire: sizes.responseBodySize + sizes.responseHeadersSize,
              encoding,
            };
          })(),
        );
      });
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
      await page.waitForTimeout(50);
      const requests = await Promise.all(seen);
      await context.close();

      const result: PageWeight = {
        path,
        requests: requests.length,
        br: zero(),
        raw: zero(),
        wire: zero(),
        chromiumEncodings: [],
        offsite: [],
      };
      const encodings = new Set<string>();
      for (const r of requests) {
        result.wire[r.category] += r.wire;
        result.wire.total += r.wire;
        if (r.category === 'html' || r.category === 'css' || r.category === 'js') encodings.add(r.encoding);
        if (!r.url.startsWith(baseUrl)) {
          result.offsite.push(r.url);
          continue;
        }
        const { br, raw } = await sizesOf(r.url);
        result.br[r.category] += br;
        result.br.total += br;
        result.raw[r.category] += raw;
        result.raw.total += raw;
      }
      result.chromiumEncodings = [...encodings].sort();
      pages.push(result);

      if (result.offsite.length) problems.push(`${path}: requests to other hosts: ${result.offsite.join(', ')}`);
      if (!offerPages.has(path) && (result.raw.js > 0 || result.wire.js > 0))
        problems.push(`${path}: loads JavaScript (${result.raw.js} bytes raw) outside the offer pages`);
      if (result.wire.total - result.wire.js > budgets.pageBytes)
        problems.push(
          `${path}: ${((result.wire.total - result.wire.js) / 1024).toFixed(1)} KB without scripts > ${budgets.pageBytes / 1024} KB budget`,
        );
      if (result.wire.js > budgets.offerScriptBytes)
        problems.push(
          `${path}: ${(result.wire.js / 1024).toFixed(1)} KB of JavaScript > ${budgets.offerScriptBytes / 1024} KB budget`,
        );
    }
  } finally {
    await browser.close();
    agent.destroy();
  }
  return { pages, problems };
}
