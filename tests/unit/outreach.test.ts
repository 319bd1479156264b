import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { campaignSchema, campaignsSchema } from '../../src/schemas/campaigns.ts';
import { figureSchema } from '../../src/schemas/figures.ts';
import { isExampleValue } from '../../src/schemas/example-values.ts';
import {
  counterpartPath,
  locales,
  offerUrl,
  pageIds,
  printableKinds,
  printablePath,
  routes,
} from '../../src/i18n/routes.ts';
import { contentDir, readYaml } from '../support/content-files.ts';
import { listExampleValues } from '../../src/integrations/example-values.ts';

const validCampaign = {
  code: 'ehrenfeld-buergeramt',
  label: 'Flyer Bürgeramt Ehrenfeld 2027',
  stadtbezirk: 'Ehrenfeld',
};

describe('campaign schema', () => {
  it.each([
    ['a complete campaign', validCampaign],
    ['without Stadtbezirk', { code: 'ehrenamt-2027', label: 'Weitergabe durch Ehrenamtliche' }],
    ['a two-character code', { ...validCampaign, code: 'k1' }],
    ['a forty-character code', { ...validCampaign, code: 'a'.repeat(40) }],
  ])('accepts %s', (_, data) => {
    expect(campaignSchema.safeParse(data).success).toBe(true);
  });

  it.each([
    ['capitals in the code', { ...validCampaign, code: 'Ehrenfeld' }, 'code'],
    ['an underscore in the code', { ...validCampaign, code: 'ehren_feld' }, 'code'],
    ['a space in the code', { ...validCampaign, code: 'ehren feld' }, 'code'],
    ['an umlaut in the code', { ...validCampaign, code: 'mülheim' }, 'code'],
    ['a one-character code', { ...validCampaign, code: 'a' }, 'code'],
    ['a 41-character code', { ...validCampaign, code: 'a'.repeat(41) }, 'code'],
    ['an unknown Stadtbezirk', { ...validCampaign, stadtbezirk: 'Bonn' }, 'stadtbezirk'],
    ['a missing label', { code: 'ehrenfeld' }, 'label'],
    ['an unknown field', { ...validCampaign, url: 'https://example.org' }, ''],
  ])('rejects %s', (_, data, path) => {
    const result = campaignSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('rejects a code used twice in the list, and accepts an empty list', () => {
    const result = campaignsSchema.safeParse([validCampaign, { ...validCampaign, label: 'Zweiter Flyer' }]);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/duplicate campaign code "ehrenfeld-buergeramt"/);
    expect(campaignsSchema.safeParse([]).success).toBe(true);
  });
});

describe('figure schema', () => {
  const figure = {
    id: 'umzuege-2023',
    value: { de: '335', en: '335' },
    text: { de: 'Menschen sind umgezogen.', en: 'people moved.' },
    asOf: '2023-12-31',
    source: { name: { de: 'Stadt Köln', en: 'City of Cologne' }, url: 'https://www.stadt-koeln.de/' },
  };
  it('accepts a figure with date and source, with or without link', () => {
    expect(figureSchema.safeParse(figure).success).toBe(true);
    expect(figureSchema.safeParse({ ...figure, source: { name: figure.source.name } }).success).toBe(true);
  });
  it.each([
    ['no date', { ...figure, asOf: undefined }, 'asOf'],
    ['no source', { ...figure, source: undefined }, 'source'],
    ['a source without name', { ...figure, source: { url: 'https://www.stadt-koeln.de/' } }, 'source.name'],
    ['no English text', { ...figure, text: { de: 'Text' } }, 'text.en'],
  ])('rejects a figure with %s', (_, data, path) => {
    const result = figureSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('shipped outreach content', () => {
  it('campaigns.yaml is valid and its entries are marked as examples', () => {
    const campaigns = campaignsSchema.parse(readYaml(join(contentDir, 'campaigns.yaml')));
    expect(campaigns.length).toBeGreaterThan(0);
    for (const c of campaigns) expect(isExampleValue(c.label), c.label).toBe(true);
  });

  it('the build report lists the example campaigns', () => {
    const lines = listExampleValues(contentDir).filter((l) => l.startsWith('content/campaigns.yaml'));
    expect(lines.length).toBe(campaignsSchema.parse(readYaml(join(contentDir, 'campaigns.yaml'))).length);
  });

  it('figures.yaml is valid: every figure has a date and a source, ids are unique', () => {
    const figures = (readYaml(join(contentDir, 'figures.yaml')) as unknown[]).map((f) => figureSchema.parse(f));
    expect(figures.length).toBeGreaterThanOrEqual(5);
    expect(new Set(figures.map((f) => f.id)).size).toBe(figures.length);
    const texts = figures.map((f) => `${f.value.de} ${f.text.de}`).join('\n');
    // The figures of the sources, as README.md of the program states them.
    for (const fact of ['335', '135 Wohnungen', '4.700', '1.600 Wohnungen', 'Oktober 2011', '14.11.2017', '100'])
      expect(texts).toContain(fact);
  });
});

describe('example values', () => {
  it.each([
    ["label: 'Beispiel: Flyer Bürgeramt Ehrenfeld 2027'", true],
    ['Beispiel: Flyer Bürgeramt Ehrenfeld 2027', true],
    ['Zum Beispiel: Balkon, Zustand, Haustiere', false],
    ['Was sollten wir noch wissen? Zum Beispiel: Balkon', false],
  ])('%s is an example value: %s', (value, expected) => {
    expect(isExampleValue(value)).toBe(expected);
  });
});

describe('print kit and offer addresses', () => {
  it('printables live below the material page of their language', () => {
    expect(printablePath('flyer', 'de')).toBe('/material/flyer/');
    expect(printablePath('poster', 'de')).toBe('/material/plakat/');
    expect(printablePath('poster', 'en')).toBe('/en/materials/poster/');
    expect(printablePath('flyer', 'en', 'ehrenfeld')).toBe('/en/materials/flyer/ehrenfeld/');
    for (const kind of printableKinds)
      for (const l of locales) expect(printablePath(kind, l).startsWith(routes.material[l])).toBe(true);
  });

  it('no printable address collides with a page of the route table', () => {
    const pages = new Set<string>(pageIds.flatMap((id) => locales.map((l) => routes[id][l])));
    for (const kind of printableKinds) for (const l of locales) expect(pages.has(printablePath(kind, l))).toBe(false);
  });

  it('the offer address carries the campaign code as ?via=', () => {
    expect(offerUrl('de', 'https://portal.example.org')).toBe('https://portal.example.org/angebot/');
    expect(offerUrl('de', 'https://portal.example.org', 'ehrenfeld')).toBe(
      'https://portal.example.org/angebot/?via=ehrenfeld',
    );
    expect(offerUrl('en', new URL('https://portal.example.org/'), 'k1')).toBe(
      'https://portal.example.org/en/offer/?via=k1',
    );
  });

  it.each([
    ['/vermieten/', 'en', '/en/landlords/'],
    ['/leichte-sprache/', 'en', '/en/easy-read/'],
    ['/en/easy-read/', 'de', '/leichte-sprache/'],
    ['/material/plakat/', 'en', '/en/materials/poster/'],
    ['/en/materials/flyer/ehrenfeld/', 'de', '/material/flyer/ehrenfeld/'],
    ['/material/flyer/', 'en', '/en/materials/flyer/'],
    ['/material/unbekannt/', 'en', undefined],
    ['/material/plakat/ehrenfeld/', 'en', undefined],
    ['/material/flyer/a/b/', 'en', undefined],
    ['/gibt-es-nicht/', 'en', undefined],
  ] as const)('the counterpart of %s in %s is %s', (path, to, expected) => {
    expect(counterpartPath(path, to)).toBe(expected);
  });
});
