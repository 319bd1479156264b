import { describe, expect, it } from 'vitest';
import { useTranslations } from '../i18n/index.ts';
import { checkRent, publishedRentLimits, rentCheckHint, rentLimitFor, type RentLimitTable } from './rent-check.ts';
import type { Settings } from '../schemas/settings.ts';

/** Sample values (the shape of content/settings.yaml), not the city's current ones. */
const table: RentLimitTable = {
  validFrom: '2027-01-01',
  source: 'Testquelle',
  rows: [
    { persons: 1, maxGrossColdRent: 600 },
    { persons: 2, maxGrossColdRent: 700 },
    { persons: 3, maxGrossColdRent: 900 },
  ],
  perFurtherPerson: 150,
};
const offer = { coldRent: 650, serviceCharges: 180, heatingCosts: 90, heatingIncluded: false, maxOccupants: 3 };

describe('the rent check', () => {
  it.each([
    ['within the limit', {}, { grossColdRent: 830, limit: 900, over: 0 }],
    ['exactly at the limit is within', { coldRent: 720 }, { grossColdRent: 900, limit: 900, over: 0 }],
    ['one cent above', { coldRent: 720.01 }, { grossColdRent: 900.01, limit: 900, over: 0.01 }],
    ['above by how much', { coldRent: 800, serviceCharges: 250 }, { grossColdRent: 1050, limit: 900, over: 150 }],
    ['one person', { maxOccupants: 1 }, { persons: 1, limit: 600, over: 230 }],
    ['one person beyond the table: last row plus one step', { maxOccupants: 4 }, { persons: 4, limit: 1050 }],
    ['three beyond the table', { maxOccupants: 6, coldRent: 1200 }, { limit: 1350, grossColdRent: 1380, over: 30 }],
    ['heating is not part of the gross cold rent', { heatingCosts: 900 }, { grossColdRent: 830, over: 0 }],
    [
      'heating included in the service charges, amount stated: it comes off them',
      { serviceCharges: 280, heatingIncluded: true, heatingCosts: 100 },
      { grossColdRent: 830, heatingUnknown: false },
    ],
    [
      'heating included without an amount: the sum includes heating, and says so',
      { serviceCharges: 280, heatingIncluded: true, heatingCosts: undefined },
      { grossColdRent: 930, over: 30, heatingUnknown: true },
    ],
    [
      'heating stated larger than the service charges takes off no more than them',
      { serviceCharges: 50, heatingIncluded: true, heatingCosts: 80 },
      { grossColdRent: 650 },
    ],
    [
      'values as typed in the form, the German way',
      { coldRent: '650,50', serviceCharges: '180', heatingIncluded: 'true', heatingCosts: '', maxOccupants: '3' },
      { grossColdRent: 830.5, heatingUnknown: true },
    ],
    ['no service charges yet (0 is an answer)', { serviceCharges: 0 }, { grossColdRent: 650 }],
  ] as const)('%s', (_, change, expected) => {
    expect(checkRent(table, { ...offer, ...change })).toMatchObject(expected);
  });

  it.each([
    ['limits not published', undefined, {}],
    ['no base rent yet', table, { coldRent: '' }],
    ['a base rent of 0', table, { coldRent: 0 }],
    ['no service charges yet', table, { serviceCharges: undefined }],
    ['an unreadable amount', table, { serviceCharges: 'achtzig' }],
    ['a negative amount', table, { serviceCharges: -5 }],
    ['no number of people yet', table, { maxOccupants: '' }],
    ['a fraction of a person', table, { maxOccupants: 2.5 }],
    ['no one', table, { maxOccupants: 0 }],
    [
      'beyond a table without an amount per further person',
      { ...table, perFurtherPerson: undefined },
      { maxOccupants: 4 },
    ],
  ] as const)('says nothing when there is nothing to compare: %s', (_, limits, change) => {
    expect(checkRent(limits, { ...offer, ...change })).toBeUndefined();
  });

  it('finds no limit in a gap of the table or below its first row', () => {
    const gappy = { ...table, rows: [table.rows[1]!, { persons: 4, maxGrossColdRent: 1000 }] };
    expect(rentLimitFor(gappy, 1)).toBeUndefined();
    expect(rentLimitFor(gappy, 3)).toBeUndefined();
    expect(rentLimitFor(gappy, 4)).toBe(1000);
    expect(rentLimitFor(gappy, 5)).toBe(1150);
  });

  it('carries the date and source of the limits', () => {
    expect(checkRent(table, offer)).toMatchObject({ validFrom: '2027-01-01', source: 'Testquelle' });
  });
});

describe('the limits from the settings', () => {
  const settings: NonNullable<Settings['rentLimits']> = {
    published: true,
    validFrom: new Date('2027-01-01T00:00:00Z'),
    source: 'Testquelle',
    rows: [
      { persons: 2, maxLivingSpace: 65, maxGrossColdRent: 700 },
      { persons: 1, maxLivingSpace: 50, maxGrossColdRent: 600 },
    ],
    perFurtherPerson: { livingSpace: 15, grossColdRent: 150 },
  };

  it('are nothing at all while not published', () => {
    expect(publishedRentLimits({ ...settings, published: false })).toBeUndefined();
    expect(publishedRentLimits(undefined)).toBeUndefined();
  });

  it('are the rents only, in order, with date and source', () => {
    expect(publishedRentLimits(settings)).toEqual({
      validFrom: '2027-01-01',
      source: 'Testquelle',
      rows: [
        { persons: 1, maxGrossColdRent: 600 },
        { persons: 2, maxGrossColdRent: 700 },
      ],
      perFurtherPerson: 150,
    });
  });
});

describe('the hint in words', () => {
  it.each([
    [
      'de',
      'within',
      offer,
      [
        'Bruttokaltmiete (Kaltmiete und Nebenkosten ohne Heizkosten): 830,00 €.',
        'innerhalb der Angemessenheitsgrenze von 900,00 € für 3 Personen',
        'keine Zusage',
        'Stand 01.01.2027. Quelle: Testquelle.',
      ],
    ],
    [
      'de',
      'above',
      { ...offer, maxOccupants: 1 },
      [
        'Das sind 230,00 € mehr als die Angemessenheitsgrenze von 600,00 € für 1 Person.',
        'Die Koordinierungsstelle sagt Ihnen, ob die Miete trotzdem übernommen werden kann.',
      ],
    ],
    [
      'en',
      'within',
      offer,
      ['€830.00', 'within the limit for reasonable housing costs of €900.00 for 3 people', 'as of 1 January 2027'],
    ],
    [
      'en',
      'above',
      { ...offer, maxOccupants: 1 },
      ['€230.00 more than the limit', 'for 1 person', 'The coordination office will tell you whether the rent'],
    ],
  ] as const)('%s, %s the limit', (locale, _, facts, phrases) => {
    const hint = rentCheckHint(checkRent(table, facts)!, useTranslations(locale), locale);
    const text = [hint.title, hint.verdict, hint.note, hint.source].join(' ');
    for (const phrase of phrases) expect(text).toContain(phrase);
    expect(hint.heating).toBeUndefined();
  });

  it('promises nothing: neither within nor above the limit', () => {
    for (const locale of ['de', 'en'] as const) {
      for (const facts of [offer, { ...offer, coldRent: 2000 }]) {
        const hint = rentCheckHint(checkRent(table, facts)!, useTranslations(locale), locale);
        expect(`${hint.verdict} ${hint.note}`).not.toMatch(/wird übernommen|garantiert|will be covered|guarantee/i);
      }
    }
  });

  it('says when heating hides in the service charges', () => {
    const check = checkRent(table, { ...offer, heatingIncluded: true, heatingCosts: undefined })!;
    expect(rentCheckHint(check, useTranslations('de'), 'de').heating).toContain('Heizkosten angeben');
  });
});
