import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import OfferForm, { type Mode } from '../../src/components/offer/OfferForm.tsx';
import { offerFormProps } from '../../src/components/offer/props.ts';
import type { RentLimitTable } from '../../src/lib/rent-check.ts';
import { asForm, validOffer } from '../support/offers.ts';

/**
 * The offer form as the server renders it (the island's first paint, and every answer to a form
 * post without JavaScript): the campaign code travels as a hidden field through every step; the
 * rent check appears beside the rents and on the review while the limits are published, and
 * leaves no trace while they are not.
 */
const rentLimits: RentLimitTable = {
  validFrom: '2027-01-01',
  source: 'Testquelle Mietobergrenzen',
  rows: [
    { persons: 1, maxGrossColdRent: 600 },
    { persons: 2, maxGrossColdRent: 700 },
    { persons: 3, maxGrossColdRent: 800 },
  ],
  perFurtherPerson: 100,
};
/** The values as a form post sends them: 650 + 180 = 830 € gross cold rent for 3 people (limit 800 €). */
const posted = Object.fromEntries(new URLSearchParams(asForm(validOffer())));

function render(
  locale: 'de' | 'en',
  options: { campaign?: string; rentLimits?: RentLimitTable; mode?: Mode; values?: Record<string, string> },
) {
  const { mode, values, ...extras } = options;
  const props = offerFormProps(locale, 'k@example.org', extras);
  return renderToStaticMarkup(
    createElement(OfferForm, { ...props, initial: mode ? { mode, values: values ?? posted, errors: {} } : undefined }),
  );
}

const hiddenCampaign = /<input type="hidden" name="campaign" value="flyer-kalk"\/>/;
const traces = /Angemessenheitsgrenze|reasonable housing costs|rent-check|rentCheck|Testquelle|Bruttokaltmiete/i;

describe('the campaign code in the form', () => {
  it.each([
    ['the empty form from ?via=', { campaign: 'flyer-kalk' }],
    ['the form again after errors', { mode: 'edit' as const, values: { ...posted, campaign: 'flyer-kalk' } }],
    ['the review without JavaScript', { mode: 'review' as const, values: { ...posted, campaign: 'flyer-kalk' } }],
  ])('is a hidden field of %s', (_, options) => {
    expect(render('de', options)).toMatch(hiddenCampaign);
  });

  it('is no field at all without one', () => {
    for (const mode of [undefined, 'edit', 'review'] as const) expect(render('de', { mode })).not.toContain('campaign');
  });
});

describe('the rent check in the form and its review', () => {
  it('appears beside the rents, after the total, with the verdict, date and source (de)', () => {
    const html = render('de', { rentLimits, mode: 'edit' });
    expect(html).toContain('data-testid="rent-check"');
    expect(html).toContain('Das sind 30,00 € mehr als die Angemessenheitsgrenze von 800,00 € für 3 Personen.');
    expect(html).toContain('Die Koordinierungsstelle sagt Ihnen, ob die Miete trotzdem übernommen werden kann.');
    expect(html).toContain('Stand 01.01.2027. Quelle: Testquelle Mietobergrenzen.');
    expect(html.indexOf('id="coldRent"')).toBeLessThan(html.indexOf('data-testid="rent-check"'));
    expect(html.indexOf('<output')).toBeLessThan(html.indexOf('data-testid="rent-check"'));
    expect(html.indexOf('data-testid="rent-check"')).toBeLessThan(html.indexOf('id="deposit"'));
  });

  it('appears on the review below the rents (en), the source marked as German', () => {
    const html = render('en', { rentLimits, mode: 'review', values: { ...posted, maxOccupants: '4' } });
    expect(html).toContain('That is within the limit for reasonable housing costs of €900.00 for 4 people.');
    expect(html).toContain('<span lang="de">Testquelle Mietobergrenzen</span>');
    expect(html.indexOf('id="review-money"')).toBeLessThan(html.indexOf('data-testid="rent-check"'));
  });

  it('waits for the amounts: an empty form shows no verdict yet', () => {
    expect(render('de', { rentLimits })).not.toContain('data-testid="rent-check"');
  });

  it('leaves no trace while the limits are not published: no words, no hint, no strings for the island', () => {
    for (const locale of ['de', 'en'] as const) {
      for (const mode of [undefined, 'edit', 'review'] as const) expect(render(locale, { mode })).not.toMatch(traces);
      const props = offerFormProps(locale, 'k@example.org');
      expect(JSON.stringify(props)).not.toMatch(traces);
      expect(props).not.toHaveProperty('rentLimits');
    }
  });

  it('gives the island the rents only, never the living space of the table', () => {
    const props = offerFormProps('de', 'k@example.org', { rentLimits });
    expect(props.rentLimits).toEqual(rentLimits);
    expect(Object.keys(props.strings).some((k) => k.startsWith('offer.rentCheck.'))).toBe(true);
  });
});
