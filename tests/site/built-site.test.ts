import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentDir, distDir, readYaml, walk } from '../support/content-files.ts';
import { tempDataDir } from '../support/offers.ts';
import { startPortal } from '../../functions/server.ts';
import { loadConfig } from '../../functions/config.ts';
import { confirmationPaths, locales, pageIds, routes, type Locale } from '../../src/i18n/routes.ts';
import { settingsSchema } from '../../src/schemas/settings.ts';
import { retentionPeriods } from '../../src/config/retention.ts';
import { rateLimitSetting } from '../../src/config/rate-limit.ts';

/**
 * Checks on the production build (`npm test` builds first): every internal link and anchor
 * resolves, each page has its language, counterpart and metadata, no page ships JavaScript.
 */
if (!existsSync(join(distDir, 'index.html'))) {
  throw new Error('dist/ is missing: run "npm run build" first (npm test does this for you).');
}

const htmlFiles = walk(distDir).filter((f) => f.endsWith('.html'));
const pages = new Map(htmlFiles.map((f) => [f, readFileSync(join(distDir, f), 'utf8')]));

// The offer pages are rendered on demand (dist/server): they are checked as the portal serves them.
const portal = await startPortal({ ...loadConfig({}), port: 0, dataDir: tempDataDir() }, { log: () => {} });
afterAll(() => portal.close());
const onDemand = new Map<string, string>(
  locales.map((l) => [routes.offer[l], `${routes.offer[l].slice(1)}index.html`]),
);
for (const [path, file] of onDemand) pages.set(file, await (await fetch(`${portal.url}${path}`)).text());
const confirmations = new Set(Object.values(confirmationPaths) as string[]);

/** dist file (or on-demand page) that serves a URL path, or undefined. */
function fileFor(path: string): string | undefined {
  const clean = decodeURIComponent(path.split(/[?#]/)[0]!);
  if (onDemand.has(clean)) return onDemand.get(clean);
  if (confirmations.has(clean)) return 'on-demand';
  const candidates = clean.endsWith('/') ? [`${clean}index.html`] : [clean, `${clean}/index.html`];
  return candidates.map((c) => c.replace(/^\//, '')).find((c) => existsSync(join(distDir, c)));
}

const idsOf = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
const attr = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);

describe('built site', () => {
  it('contains every page of the route table in both languages and both 404 pages', () => {
    for (const id of pageIds) for (const l of locales) expect(fileFor(routes[id][l]), routes[id][l]).toBeDefined();
    for (const l of locales) expect(existsSync(join(distDir, routes.offer[l], 'index.html'))).toBe(false);
    expect(pages.has('404.html')).toBe(true);
    expect(pages.has('en/404.html')).toBe(true);
  });

  it.each([...pages.keys()])('%s: every internal link, asset and anchor resolves', (file) => {
    const html = pages.get(file)!;
    const broken: string[] = [];
    for (const ref of [...attr(html, 'href'), ...attr(html, 'src')]) {
      if (/^(https?:|mailto:|tel:|data:)/.test(ref)) continue;
      const [path, fragment] = ref.split('#');
      const target = path ? fileFor(path) : file;
      if (!target) {
        broken.push(ref);
        continue;
      }
      if (fragment && target.endsWith('.html') && !idsOf(pages.get(target) ?? '').has(fragment)) broken.push(ref);
    }
    expect(broken).toEqual([]);
  });

  const offerFiles = new Set(['angebot/index.html', 'en/offer/index.html']);
  it.each([...pages.keys()].filter((f) => !offerFiles.has(f)))(
    '%s: ships no JavaScript (structured data aside)',
    (file) => {
      const scripts = [...pages.get(file)!.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
      expect(scripts.filter((a) => !/type="application\/ld\+json"/.test(a))).toEqual([]);
      expect(pages.get(file)).not.toContain('<astro-island');
    },
  );

  it.each([...offerFiles])('%s: the offer form is a real form that works without JavaScript', (file) => {
    const html = pages.get(file)!;
    const form = /<form[^>]*>/.exec(html)![0];
    expect(form).toContain('method="post"');
    // It posts to the offer page itself, which answers with errors, the review or a redirect.
    expect(form).toContain(`action="/${file.replace('index.html', '')}"`);
    const button = /<button[^>]*type="submit"[^>]*>/.exec(html)![0];
    expect(button).toContain('name="intent"');
    expect(button).toContain('value="review"');
    // With JavaScript the same form is an island.
    expect(html).toContain('<astro-island');
  });

  it.each(pageIds.flatMap((id) => locales.map((l) => [routes[id][l], l, id] as const)))(
    '%s: lang, canonical, hreflang to its counterpart, title and description',
    (path, locale, id) => {
      const html = pages.get(fileFor(path)!)!;
      expect(html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
      expect(html).toMatch(new RegExp(`<link rel="canonical" href="[^"]*${path.replace(/\//g, '\\/')}"`));
      for (const l of locales) {
        expect(html).toMatch(new RegExp(`hreflang="${l}" href="[^"]*${routes[id][l].replace(/\//g, '\\/')}"`));
      }
      expect(html).toMatch(/<title>[^<]{5,}<\/title>/);
      expect(html).toMatch(/<meta name="description" content="[^"]{50,}"/);
      expect(html).toMatch(/<meta property="og:title"/);
      expect(html.match(/<h1\b/g)).toHaveLength(1);
    },
  );

  it('the sitemap lists every page in both languages with alternates, and no 404 page', () => {
    const index = readFileSync(join(distDir, 'sitemap-index.xml'), 'utf8');
    const sitemaps = [...index.matchAll(/<loc>[^<]*\/(sitemap-\d+\.xml)<\/loc>/g)].map((m) => m[1]!);
    const xml = sitemaps.map((s) => readFileSync(join(distDir, s), 'utf8')).join('');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname).sort();
    expect(locs).toEqual(pageIds.flatMap((id) => locales.map((l) => routes[id][l])).sort());
    expect(xml).toContain('hreflang="en"');
    expect(xml).not.toContain('404');
  });

  it('robots.txt points to the sitemap', () => {
    expect(readFileSync(join(distDir, 'robots.txt'), 'utf8')).toMatch(/Sitemap: https?:\/\/.+\/sitemap-index\.xml/);
  });

  it('the FAQ page carries FAQPage structured data with every question', () => {
    for (const l of locales) {
      const html = pages.get(fileFor(routes.faq[l])!)!;
      const json = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) =>
        JSON.parse(m[1]!),
      );
      const faq = json.find((j) => j['@type'] === 'FAQPage');
      expect(faq.mainEntity.length).toBe((html.match(/<article\b/g) ?? []).length);
      expect(faq.mainEntity[0].acceptedAnswer.text.length).toBeGreaterThan(20);
    }
  });

  it('home pages name the city and the three carriers (GovernmentOrganization)', () => {
    for (const l of locales) {
      const html = pages.get(fileFor(routes.home[l])!)!;
      expect(html).toContain('"@type":"GovernmentOrganization"');
      for (const name of ['Caritasverband', 'Deutsches Rotes Kreuz', 'Kölner Flüchtlingsrat'])
        expect(html).toContain(name);
    }
  });
});

/** What the pages promise, checked against the settings and the server's configuration. */
describe('statements on the built pages', () => {
  const settings = settingsSchema.parse(readYaml(join(contentDir, 'settings.yaml')));
  const page = (id: keyof typeof routes, locale: Locale) => pages.get(fileFor(routes[id][locale])!)!;

  it('no page says which carrier serves which Stadtbezirk until the city has confirmed it', () => {
    const splitClaim =
      /für den Stadtbezirk Ihrer Wohnung zuständig|responsible for (your apartment's|the) (district|borough)/i;
    for (const [file, html] of pages) expect(html, file).not.toMatch(splitClaim);
    const cards = [...pages.values()].filter((html) => html.includes('data-carrier-stadtbezirke'));
    if (settings.routing.assignmentConfirmed) expect(cards.length).toBeGreaterThan(0);
    else expect(cards).toEqual([]);
  });

  it('the privacy notice names the retention periods and the IP-address window the server uses', () => {
    const { offerDays, spamDays } = retentionPeriods();
    const { limit, windowMs } = rateLimitSetting();
    for (const locale of locales) {
      const html = page('privacy', locale);
      expect(html).toContain(`data-retention-offer-days="${offerDays}"`);
      expect(html).toContain(`data-retention-spam-days="${spamDays}"`);
      expect(html).toContain(`data-rate-limit="${limit}/${windowMs / 1000}"`);
      expect(html).toContain(locale === 'de' ? `${offerDays} Tage, nachdem` : `${offerDays} days after`);
      expect(html).toContain(locale === 'de' ? `nach ${spamDays} Tagen` : `after ${spamDays} days`);
    }
    if (limit > 0 && windowMs % 60_000 === 0) {
      expect(page('privacy', 'de')).toContain(`${windowMs / 60_000} Minuten nach dem letzten Absenden`);
      expect(page('privacy', 'en')).toContain(`${windowMs / 60_000} minutes after you last sent`);
    }
  });

  it('the privacy notice rests on one legal basis, Art. 6(1)(e) GDPR with § 3 DSG NRW, not on consent', () => {
    const de = page('privacy', 'de');
    expect(de).toContain('Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit § 3');
    expect(de).not.toMatch(/lit\. a|Einwilligung/);
    const en = page('privacy', 'en');
    expect(en).toContain('Art. 6(1)(e) GDPR in conjunction with section 3');
    expect(en).not.toMatch(/6\(1\)\(a\)|your consent/);
  });

  it('the privacy notice says what the confirmation mail repeats and that held offers are checked', () => {
    expect(page('privacy', 'de')).toContain('Ihren Namen, die Straße und Ihre Beschreibung wiederholt sie nicht');
    expect(page('privacy', 'de')).toContain('Die Koordinierungsstelle sieht sie sich an');
    expect(page('privacy', 'en')).toContain('It does not repeat your name, the street or your description');
    expect(page('privacy', 'en')).toContain('The coordination office checks them');
  });

  it('the accessibility statement shows the legal basis the city sets and no longer cites BITV 2.0', () => {
    for (const locale of locales) {
      const html = page('accessibility', locale);
      expect(html).toContain(settings.accessibility.legalBasis[locale].replace(/'/g, '&#39;'));
      expect(html).not.toContain('BITV 2.0');
    }
  });
});
