import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { carrierSchema, carriersSchema } from '../../src/schemas/carriers.ts';
import { settingsSchema } from '../../src/schemas/settings.ts';
import { faqSchema, pageSchema } from '../../src/schemas/pages.ts';
import { isExampleValue } from '../../src/schemas/example-values.ts';
import { contentDir, markdownKeys, readMarkdown, readYaml } from '../support/content-files.ts';
import { locales } from '../../src/i18n/routes.ts';

const validPage = {
  title: 'Für Vermieter*innen',
  description: 'Was Sie bekommen, wenn Sie Ihre Wohnung über das Auszugsmanagement vermieten.',
};

describe('page frontmatter schema', () => {
  it.each([
    ['minimal page', validPage],
    ['with lead', { ...validPage, lead: 'Kurz gesagt.' }],
    ['with highlights', { ...validPage, highlights: [{ title: 'Miete', text: 'Wird geklärt.', icon: 'euro' }] }],
    ['with steps', { ...validPage, stepsTitle: 'So geht es', steps: [{ title: 'Angebot', text: 'Sie melden sich.' }] }],
  ])('accepts %s', (_, data) => {
    expect(pageSchema.safeParse(data).success).toBe(true);
  });

  it.each([
    ['missing title', { description: validPage.description }, 'title'],
    ['title too long', { ...validPage, title: 'x'.repeat(71) }, 'title'],
    ['description too short', { ...validPage, description: 'Zu kurz.' }, 'description'],
    ['description too long', { ...validPage, description: 'x'.repeat(171) }, 'description'],
    ['unknown key', { ...validPage, subtitle: 'nope' }, ''],
    [
      'unknown icon',
      { ...validPage, highlights: [{ title: 'Miete', text: 'Text', icon: 'rocket' }] },
      'highlights.0.icon',
    ],
    ['step without text', { ...validPage, steps: [{ title: 'Angebot' }] }, 'steps.0.text'],
  ])('rejects %s', (_, data, path) => {
    const result = pageSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

const validFaq = { question: 'Wer zahlt die Miete?', group: 'money', order: 1, anchor: 'wer-zahlt-die-miete' };

describe('FAQ frontmatter schema', () => {
  it('accepts a complete entry', () => {
    expect(faqSchema.safeParse(validFaq).success).toBe(true);
  });
  it.each([
    ['unknown group', { ...validFaq, group: 'weather' }, 'group'],
    ['anchor with spaces', { ...validFaq, anchor: 'wer zahlt' }, 'anchor'],
    ['anchor with capitals', { ...validFaq, anchor: 'Wer-zahlt' }, 'anchor'],
    ['negative order', { ...validFaq, order: -1 }, 'order'],
    ['question too short', { ...validFaq, question: 'Wer?' }, 'question'],
    ['missing anchor', { question: validFaq.question, group: 'money', order: 1 }, 'anchor'],
  ])('rejects %s', (_, data, path) => {
    const result = faqSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

const validCarrier = {
  id: 'caritas',
  name: 'Caritasverband',
  description: { de: 'Ein Träger.', en: 'A carrier.' },
  email: 'angebote@example.org',
  stadtbezirke: ['Innenstadt'],
};

describe('carrier schema and routing table', () => {
  it.each([
    ['minimal carrier', validCarrier],
    ['with webhook', { ...validCarrier, webhookUrl: 'https://carrier.example.org/hooks/offers' }],
    ['with address', { ...validCarrier, address: { street: 'Musterstraße 1', postalCode: '50667', city: 'Köln' } }],
  ])('accepts %s', (_, data) => {
    expect(carrierSchema.safeParse(data).success).toBe(true);
  });

  it.each([
    ['id with capitals', { ...validCarrier, id: 'Caritas' }, 'id'],
    ['bad email', { ...validCarrier, email: 'caritas' }, 'email'],
    ['unknown Stadtbezirk', { ...validCarrier, stadtbezirke: ['Bonn'] }, 'stadtbezirke.0'],
    ['ftp webhook', { ...validCarrier, webhookUrl: 'ftp://example.org/x' }, 'webhookUrl'],
    ['missing English description', { ...validCarrier, description: { de: 'Ein Träger.' } }, 'description.en'],
    [
      'four-digit postal code',
      { ...validCarrier, address: { street: 'A 1', postalCode: '5066', city: 'Köln' } },
      'address.postalCode',
    ],
  ])('rejects %s', (_, data, path) => {
    const result = carrierSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('rejects a Stadtbezirk assigned to two carriers', () => {
    const result = carriersSchema.safeParse([validCarrier, { ...validCarrier, id: 'drk' }]);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/Innenstadt.*both/);
  });

  it('rejects duplicate carrier ids', () => {
    const result = carriersSchema.safeParse([validCarrier, { ...validCarrier, stadtbezirke: ['Porz'] }]);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/duplicate carrier id/);
  });
});

describe('shipped content', () => {
  it('carriers.yaml is a valid routing table with the three carriers of the notice', () => {
    const carriers = carriersSchema.parse(readYaml(join(contentDir, 'carriers.yaml')));
    expect(carriers.map((c) => c.name)).toEqual(['Caritasverband', 'Deutsches Rotes Kreuz', 'Kölner Flüchtlingsrat']);
  });

  it('settings.yaml is valid', () => {
    const result = settingsSchema.safeParse(readYaml(join(contentDir, 'settings.yaml')));
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('settings.yaml without the coordinator fails', () => {
    const settings = readYaml(join(contentDir, 'settings.yaml')) as Record<string, unknown>;
    delete settings.coordinator;
    expect(settingsSchema.safeParse(settings).success).toBe(false);
  });

  it.each([
    ['the legal basis of the accessibility statement', ['accessibility', 'legalBasis']],
    ['where the offer database runs', ['offerStorage']],
    ["what the web server's logs hold", ['retention', 'serverLogs']],
  ])('settings.yaml without %s fails', (_, path) => {
    const settings = readYaml(join(contentDir, 'settings.yaml')) as Record<string, Record<string, unknown>>;
    if (path.length === 1) delete settings[path[0]!];
    else delete settings[path[0]!]![path[1]!];
    const result = settingsSchema.safeParse(settings);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path.join('.'));
  });

  it('settings.yaml refuses a free sentence for how long offers are kept: that comes from RETENTION_DAYS', () => {
    const settings = readYaml(join(contentDir, 'settings.yaml')) as { retention: Record<string, unknown> };
    settings.retention.offers = { de: 'Sechs Monate.', en: 'Six months.' };
    expect(settingsSchema.safeParse(settings).success).toBe(false);
  });

  it('the carrier assignment counts as unconfirmed unless the city says otherwise', () => {
    const settings = readYaml(join(contentDir, 'settings.yaml')) as Record<string, unknown>;
    delete settings.routing;
    expect(settingsSchema.parse(settings).routing.assignmentConfirmed).toBe(false);
  });

  for (const locale of locales) {
    it(`every page text in ${locale} matches the page schema`, () => {
      const keys = markdownKeys(join(contentDir, 'pages', locale));
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const result = pageSchema.safeParse(readMarkdown(join(contentDir, 'pages', locale, `${key}.md`)).data);
        expect(result.error?.issues ?? [], `${locale}/${key}.md`).toEqual([]);
      }
    });

    it(`every FAQ entry in ${locale} matches the FAQ schema, anchors unique`, () => {
      const keys = markdownKeys(join(contentDir, 'faq', locale));
      expect(keys.length).toBeGreaterThan(0);
      const anchors = keys.map((key) => {
        const { data, body } = readMarkdown(join(contentDir, 'faq', locale, `${key}.md`));
        const parsed = faqSchema.parse(data);
        expect(body.trim().length, `${locale}/${key}.md has an answer`).toBeGreaterThan(20);
        return parsed.anchor;
      });
      expect(new Set(anchors).size).toBe(anchors.length);
    });
  }
});

describe('example values', () => {
  it.each([
    ['auszugsmanagement@example.org', true],
    ['https://ombudsstelle.example.org/', true],
    ['Musterstraße 1', true],
    ['0221 XXX XXX', true],
    ['Beispielwert: Name', true],
    ['Example value: name', true],
    ['auszugsmanagement@stadt-koeln.de', false],
    ['Willy-Brandt-Platz 2', false],
    ['0221 221-0', false],
    ['Sie koordiniert zum Beispiel Anfragen', false],
  ])('%s is an example value: %s', (value, expected) => {
    expect(isExampleValue(value)).toBe(expected);
  });
});
