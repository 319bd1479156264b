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

/**
 * axe's WCAG 2.0–2.2 A/AA violations on the page as it is now. Legacy mode runs axe in the page
 * itself instead of gathering frame results in an extra blank page (axe ≥ 4.3's default, there for
 * cross-origin iframes, which no page here has: the site makes no request to another host); with
 * only violations collected in full, a page costs about a third less (measured: 1.9 → 1.4 s).
 */
export async function axeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(wcagTags)
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  return violations;
}

/**
 * The tab in which a page without JavaScript gets its HTML checked, one per browser: a new tab
 * costs about 1 s of CPU (a renderer process), and the journeys check a dozen such pages each.
 */
const twins = new WeakMap<Browser, Promise<Page>>();
function twinPage(browser: Browser): Promise<Page> {
  let twin = twins.get(browser);
  if (!twin) {
    twin = browser.newContext({ ...viewports.phone }).then((context) => context.newPage());
    twins.set(browser, twin);
  }
  return twin;
}

/** axe (WCAG 2.0–2.2, A and AA) finds nothing on the page as it is now. */
export async function expectNoAxeViolations(page: Page, state: string, withoutJs = false) {
  let target = page;
  // axe runs as a script; a page without JavaScript gets its exact HTML checked in a twin page
  // that allows scripts (the server's answers contain no island that could change it).
  if (withoutJs) {
    target = await twinPage(page.context().browser()!);
    // On the portal's origin, so the page's own styles and fonts load as they do for the visitor.
    const origin = new URL(page.url()).origin;
    if (!target.url().startsWith(`${origin}/`)) await target.goto(`${origin}/404.html`);
    await target.setContent(await page.content(), { waitUntil: 'load' });
  }
  const violations = await axeViolations(target);
  expect(violations.map((v) => `${state}: ${v.id} ${v.help}`)).toEqual([]);
}

/**
 * Runs `visit` for every item, `limit` at a time: loops over every page of the site spend most of
 * their time waiting on Chromium's renderer, and two cores can serve a few pages at once. Results
 * keep the items' order, so a failure list reads the same on every run; `visit` gets its lane's number
 * (0 to limit − 1), so a lane can keep one tab for all its pages.
 */
export async function eachPage<T, R>(
  items: readonly T[],
  limit: number,
  visit: (item: T, lane: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (number: number) => {
    while (next < items.length) {
      const index = next++;
      results[index] = await visit(items[index]!, number);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, (_, number) => lane(number)));
  return results;
}

/**
 * axe's WCAG 2.2 A/AA findings on every path in one viewport, in path order. Three lanes, each
 * with one tab that goes from page to page (a new tab per page cost 0.2 s more each).
 */
export async function axeEveryPage(
  browser: Browser,
  baseUrl: string,
  paths: readonly string[],
  viewport: keyof typeof viewports,
): Promise<string[]> {
  const context = await browser.newContext({ ...viewports[viewport] });
  const tabs: Page[] = [];
  const found = await eachPage(paths, 3, async (path, lane) => {
    const page = (tabs[lane] ??= await context.newPage());
    await page.goto(`${baseUrl}${path}`);
    return (await axeViolations(page)).map((v) => `${path}: ${v.id} (${v.nodes.length}×) ${v.help}`);
  });
  await context.close();
  return found.flat();
}
