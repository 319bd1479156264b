import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { axeEveryPage, browserMissing, viewports } from '../support/browser.ts';
import { useBrowserAndPortal } from '../support/suite.ts';
import { contentDir, readYaml } from '../support/content-files.ts';
import { counterpartPath, locales, offerUrl, printablePath, type Locale } from '../../src/i18n/routes.ts';
import { campaignsSchema } from '../../src/schemas/campaigns.ts';

const campaigns = campaignsSchema.parse(readYaml(join(contentDir, 'campaigns.yaml')));
/** Every printable with the address its QR code must carry (the site URL is filled in per run). */
const printables = locales.flatMap((locale) => [
  { path: printablePath('flyer', locale), locale, via: undefined },
  { path: printablePath('poster', locale), locale, via: undefined },
  ...campaigns.map((c) => ({ path: printablePath('flyer', locale, c.code), locale, via: c.code })),
]) satisfies Array<{ path: string; locale: Locale; via?: string }>;

/**
 * Pages of a PDF as Chromium writes it (uncompressed object dictionaries): the page objects, and
 * the /Count of the page tree. Both must agree.
 */
function pdfPages(pdf: Buffer): { objects: number; count: number } {
  const text = pdf.toString('latin1');
  const objects = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  const count = Math.max(
    0,
    ...[...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) =>
      Number(m[1] ?? m[2]),
    ),
  );
  return { objects, count };
}

// Reason for skipping: without Chromium nothing here can run; support/browser.ts warns loudly
// and fails the run under CI=true.
describe.skipIf(browserMissing)('the print kit in Chromium', () => {
  const env = useBrowserAndPortal();
  // One tab per kind of check, reused from sheet to sheet: a new tab costs about 1 s of CPU.
  const tabs = new Map<string, Promise<Page>>();
  const tab = (kind: 'print' | 'qr' | 'narrow', options: BrowserContextOptions = {}) => {
    if (!tabs.has(kind))
      tabs.set(
        kind,
        env.browser.newContext(options).then((c) => c.newPage()),
      );
    return tabs.get(kind)!;
  };

  it('knows what to check: both languages, flyer, poster and every campaign flyer', () => {
    expect(printables.length).toBe(2 * (2 + campaigns.length));
  });

  it.each(printables)('$path prints to exactly one A4 page', async ({ path }) => {
    const page = await tab('print');
    await page.emulateMedia({ media: null }); // the previous sheet's print emulation off: pdf() prints as Chromium does
    await page.goto(`${env.portal.url}${path}`);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(pdfPages(pdf)).toEqual({ objects: 1, count: 1 });
    // The sheet's content fits its page box: nothing is pushed over the edge or cut off.
    await page.emulateMedia({ media: 'print' });
    const fit = await page.locator('.sheet').evaluate((el) => ({ content: el.scrollHeight, box: el.clientHeight }));
    expect(fit.content).toBeLessThanOrEqual(fit.box);
    // On paper: the sheet only, no header, navigation, footer or print hint.
    for (const selector of ['body > header', 'body > nav', 'body > footer', '.notice'])
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
  });

  it.each(printables)('the QR code of $path decodes to its offer address', async ({ path, locale, via }) => {
    const page = await tab('qr', { ...viewports.desktop, deviceScaleFactor: 2 });
    await page.goto(`${env.portal.url}${path}`);
    const png = PNG.sync.read(await page.locator('svg.qr-code').screenshot());
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    // The site's public address (SITE_URL at build time), as the home page states it.
    const home = await (await fetch(`${env.portal.url}/`)).text();
    const site = /<link rel="canonical" href="(https?:\/\/[^/"]+)\//.exec(home)![1]!;
    const expected = offerUrl(locale, site, via);
    expect(code?.data).toBe(expected);
    // The same address is printed as text (without the scheme) for everyone who does not scan.
    const shown = (await page.locator('.sheet-url a').innerText()).replace(/\s+/g, '');
    expect(shown).toBe(expected.replace(/^https?:\/\//, ''));
    expect(await page.locator('.sheet-url a').getAttribute('href')).toBe(expected);
  });

  for (const viewport of ['phone', 'desktop'] as const) {
    it(`axe finds no WCAG 2.2 A/AA violation on the printables (${viewport})`, async () => {
      const paths = printables.map((p) => p.path);
      expect(await axeEveryPage(env.browser, env.portal.url, paths, viewport)).toEqual([]);
    });
  }

  it('no printable scrolls sideways on a 320 px phone', async () => {
    const page = await tab('narrow', { viewport: { width: 320, height: 640 }, isMobile: true });
    const wide: string[] = [];
    for (const { path } of printables) {
      await page.goto(`${env.portal.url}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 320) wide.push(`${path}: ${width}px`);
    }
    expect(wide).toEqual([]);
  });

  it('the language switch of a printable leads to the same sheet in the other language', async () => {
    const page = await env.browser.newPage();
    for (const { path, locale } of printables) {
      await page.goto(`${env.portal.url}${path}`);
      const other = locale === 'de' ? 'en' : 'de';
      const href = await page.locator(`header a[hreflang="${other}"]`).getAttribute('href');
      expect(href, path).toBe(counterpartPath(path, other));
    }
    await page.close();
  });
});
