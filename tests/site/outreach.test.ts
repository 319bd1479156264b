import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, contentDir, readYaml, walk } from '../support/content-files.ts';
import { locales, offerUrl, pageIds, printablePath, routes } from '../../src/i18n/routes.ts';
import { campaignsSchema } from '../../src/schemas/campaigns.ts';

/**
 * The outreach parts of the build: the print kit, the share kit, Leichte Sprache on every page,
 * the figures with their sources. `npm test` builds first.
 */
if (!existsSync(join(distDir, 'index.html'))) {
  throw new Error('dist/ is missing: run "npm run build" first (npm test does this for you).');
}

const read = (path: string) => readFileSync(join(distDir, path.replace(/^\//, ''), 'index.html'), 'utf8');
const site = /<link rel="canonical" href="(https?:\/\/[^/"]+)\//.exec(read('/'))![1]!;
const campaigns = campaignsSchema.parse(readYaml(join(contentDir, 'campaigns.yaml')));
const printables = locales.flatMap((locale) => [
  printablePath('flyer', locale),
  printablePath('poster', locale),
  ...campaigns.map((c) => printablePath('flyer', locale, c.code)),
]);
const decode = (html: string) =>
  html
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<');

describe('Leichte Sprache', () => {
  const htmlFiles = walk(distDir).filter((f) => f.endsWith('.html'));

  it.each(htmlFiles)('%s links to the page in Leichte Sprache', (file) => {
    const html = readFileSync(join(distDir, file), 'utf8');
    expect(html).toMatch(/<a [^>]*href="\/leichte-sprache\/"[^>]*>[\s\S]*?Leichte Sprache<\/a>/);
  });

  it('English pages also lead to their Easy Read page, and the two are counterparts', () => {
    expect(read('/en/about/')).toContain('href="/en/easy-read/"');
    expect(read('/leichte-sprache/')).toMatch(/hreflang="en" href="[^"]*\/en\/easy-read\/"/);
    expect(read('/leichte-sprache/')).toContain('lang="de"');
  });
});

describe('print kit', () => {
  it('campaign flyers are listed in the order of campaigns.yaml', () => {
    const listed = [...read(routes.material.de).matchAll(/href="\/material\/flyer\/([^"/]+)\/"/g)].map((m) => m[1]);
    expect(listed).toEqual(campaigns.map((c) => c.code));
  });

  it('the material pages list every printable of their language', () => {
    for (const locale of locales) {
      const html = read(routes.material[locale]);
      for (const path of printables.filter((p) => p.startsWith(routes.material[locale])))
        expect(html, path).toContain(`href="${path}"`);
    }
  });

  it.each(printables)('%s is built, kept out of search engines, and carries its QR code and address', (path) => {
    const html = read(path);
    expect(html).toContain('<meta name="robots" content="noindex">');
    const locale = path.startsWith('/en/') ? 'en' : 'de';
    const code = campaigns.find((c) => path.endsWith(`/${c.code}/`))?.code;
    const url = offerUrl(locale, site, code);
    // The QR code is inline SVG, drawn at build time, named by the address it encodes.
    expect(html).toMatch(/<svg role="img" aria-label="[^"]+" class="qr-code[^"]*"[^>]*viewBox="0 0 \d+ \d+"/);
    expect(html).toContain(`href="${url}"`);
    expect(html).not.toMatch(/<script\b(?![^>]*application\/ld\+json)/);
  });

  it('printables are not in the sitemap, the material pages are', () => {
    const xml = walk(distDir)
      .filter((f) => /^sitemap-\d+\.xml$/.test(f))
      .map((f) => readFileSync(join(distDir, f), 'utf8'))
      .join('');
    for (const path of printables) expect(xml).not.toContain(`${site}${path}<`);
    for (const l of locales) expect(xml).toContain(`${site}${routes.material[l]}<`);
  });
});

describe('campaign codes in the offer form', () => {
  it("the island's JavaScript carries neither the codes nor their labels: the server puts one code into the page", () => {
    const scripts = walk(join(distDir, '_astro'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(distDir, '_astro', f), 'utf8'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const { code, label } of campaigns) {
      for (const script of scripts) {
        expect(script).not.toContain(label);
        expect(script).not.toContain(code);
      }
    }
  });
});

describe('share kit', () => {
  it.each(locales)('the %s help page offers a mailto link with subject and body and no recipient', (locale) => {
    const html = read(routes.help[locale]);
    const href = decode(/href="(mailto:\?subject=[^"]+)"/.exec(html)![1]!);
    const url = new URL(href);
    expect(url.pathname).toBe('');
    const query = new URLSearchParams(url.search);
    const subject = query.get('subject')!;
    const body = query.get('body')!;
    expect(subject.length).toBeGreaterThan(10);
    expect(body).toContain(`${offerUrl(locale, site)}\r\n`);
    expect(body).toContain(`${site}${routes.landlords[locale]}`);
    // Line breaks as CRLF (RFC 6068), never a bare LF.
    expect(body).not.toMatch(/[^\r]\n/);
    // encodeURIComponent leaves no raw space, & or line break in the address.
    expect(href.slice(0, href.indexOf('&body='))).not.toMatch(/[ \n]/);
    expect(html).toContain(`href="${printablePath('flyer', locale)}"`);
  });
});

describe('figures', () => {
  it.each(locales)('the %s about page shows the figures with date and linked source', (locale) => {
    const html = read(routes.about[locale]);
    const section = /<section[^>]*aria-labelledby="figures"[\s\S]*?<\/section>/.exec(html)![0];
    expect(section).toContain('335');
    expect(section).toContain('href="https://www.stadt-koeln.de/artikel/62496/index.html"');
    const items = section.match(/<li\b/g)!.length;
    expect(items).toBeGreaterThanOrEqual(5);
    expect(section.match(locale === 'de' ? /Stand: /g : /As of /g)!.length).toBe(items);
  });

  it('the figures keep the order of figures.yaml', () => {
    const ids = (readYaml(join(contentDir, 'figures.yaml')) as Array<{ id: string }>).map((f) => `figure-${f.id}`);
    const shown = [...read(routes.about.de).matchAll(/id="(figure-[^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(ids);
  });

  it('the route table and its texts know the new pages', () => {
    expect(pageIds).toContain('material');
    expect(pageIds).toContain('easyread');
  });
});
