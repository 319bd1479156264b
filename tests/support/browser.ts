import { chromium, type Browser, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'vitest';
import { chromiumFlags, chromiumPath } from './chromium.ts';

export { chromiumPath };

/**
 * Without a browser the browser tests cannot run. Locally that is a loud warning (the rest of the
 * suite still tells you something); under CI=true it is a failure, because a green CI must mean
 * the pages were really checked in a browser.
 */
export const browserMissing = !chromiumPath;
if (browserMissing) {
  const message = [
    '',
    '  ┌──────────────────────────────────────────────────────────────────────┐',
    '  │ NO CHROMIUM FOUND: the browser tests (journeys, axe, page weight)    │',
    '  │ are NOT run. Install it with:  sudo apt-get install chromium         │',
    '  │ or point CHROMIUM_PATH at a Chromium/Chrome binary.                  │',
    '  └──────────────────────────────────────────────────────────────────────┘',
    '',
  ].join('\n');
  if (process.env.CI === 'true') throw new Error(`CI=true and no Chromium: browser tests cannot run.${message}`);
  console.warn(message);
}

/** Headless Chromium with the flags this machine needs (tests/support/chromium.ts). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
}

export const viewports = {
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  desktop: { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
} as const;

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: what BITV 2.0 asks and a bit more. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe (WCAG 2.0–2.2, A and AA) finds nothing on the page as it is now. */
export async function expectNoAxeViolations(page: Page, state: string, withoutJs = false) {
  let target = page;
  // axe runs as a script; a page without JavaScript gets its exact HTML checked in a twin page
  // that allows scripts (the server's answers contain no island that could change it).
  if (withoutJs) {
    const twinContext = await page
      .context()
      .browser()!
      .newContext({ ...viewports.phone });
    target = await twinContext.newPage();
    await target.goto(new URL('/404.html', page.url()).href);
    await target.setContent(await page.content(), { waitUntil: 'load' });
  }
  const { violations } = await new AxeBuilder({ page: target }).withTags(wcagTags).analyze();
  if (target !== page) await target.context().close();
  expect(violations.map((v) => `${state}: ${v.id} ${v.help}`)).toEqual([]);
}

/**
 * Runs `visit` for every item, `limit` at a time: loops over every page of the site spend most of
 * their time waiting on Chromium's renderer, and two cores can serve a few pages at once. Results
 * keep the items' order, so a failure list reads the same on every run.
 */
export async function eachPage<T, R>(items: readonly T[], limit: number, visit: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await visit(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** axe's WCAG 2.2 A/AA findings on every path in one viewport, three pages at a time, in path order. */
export async function axeEveryPage(
  browser: Browser,
  baseUrl: string,
  paths: readonly string[],
  viewport: keyof typeof viewports,
): Promise<string[]> {
  const context = await browser.newContext({ ...viewports[viewport] });
  const found = await eachPage(paths, 3, async (path) => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}${path}`);
    const { violations } = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
    await page.close();
    return violations.map((v) => `${path}: ${v.id} (${v.nodes.length}×) ${v.help}`);
  });
  await context.close();
  return found.flat();
}
