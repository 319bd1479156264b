import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import OfferForm from '../../src/components/offer/OfferForm.tsx';
import { OfferReview } from '../../src/components/offer/OfferReview.tsx';
import { offerFormProps } from '../../src/components/offer/props.ts';
import { createOfferSchema } from '../../src/schemas/offer.ts';
import { field, offerFields, type OfferField } from '../../src/schemas/offer-fields.ts';
import { offerEventJsonSchema } from '../../src/schemas/webhook.ts';
import { fieldTable } from '../../src/lib/field-docs.ts';
import { createTranslator, ui } from '../../src/i18n/index.ts';
import { renderOfferMail } from '../../functions/mail/offer-mail.ts';
import { renderConfirmationMail } from '../../functions/mail/confirmation-mail.ts';
import { validOffer } from '../support/offers.ts';
import * as z from 'zod/mini';

/**
 * One field, one place (issue 9): a new plain field is one entry in the field list plus its two
 * strings (label and summary, in both languages), and it appears everywhere without another edit.
 */
const balcony = field({
  name: 'balcony',
  section: 'apartment',
  required: false,
  control: { type: 'checkbox' },
  structured: true,
  summary: true,
  show: (value, { t }) => t(value === true ? 'offer.review.yes' : 'offer.review.no'),
  schema: () =>
    z.pipe(
      z.transform((v) => v === true || v === 'true'),
      z.boolean(),
    ),
});
// The copy of the list, with the balcony after "furnished".
const at = offerFields.findIndex((f) => f.name === 'furnished') + 1;
const fields: OfferField[] = [...offerFields.slice(0, at), balcony, ...offerFields.slice(at)];
const strings = {
  de: { 'offer.balcony.label': 'Die Wohnung hat einen Balkon.', 'offer.balcony.summary': 'Balkon' },
  en: { 'offer.balcony.label': 'The apartment has a balcony.', 'offer.balcony.summary': 'Balcony' },
};
// The two strings, added to the catalogues in this test file only (vitest isolates each file).
for (const locale of ['de', 'en'] as const) Object.assign(ui[locale], strings[locale]);

describe('a field added to the field list', () => {
  const schema = createOfferSchema({ today: '2026-11-28', fields });
  const offer = schema.parse(validOffer({ balcony: true }));

  it('is read by the schema (and an unknown field it is not)', () => {
    expect((offer as Record<string, unknown>).balcony).toBe(true);
    expect(createOfferSchema({ today: '2026-11-28' }).safeParse(validOffer({ balcony: true })).success).toBe(false);
  });

  it('appears in the form, in order, with its label', () => {
    const html = renderToStaticMarkup(createElement(OfferForm, { ...offerFormProps('de', 'k@example.org'), fields }));
    expect(html).toMatch(/<input[^>]*id="balcony"[^>]*type="checkbox"/);
    expect(html).toContain('Die Wohnung hat einen Balkon.');
    expect(html.indexOf('id="furnished"')).toBeLessThan(html.indexOf('id="balcony"'));
    expect(html.indexOf('id="balcony"')).toBeLessThan(html.indexOf('id="maxOccupants"'));
  });

  it('appears in the review', () => {
    const t = createTranslator(ui.en, 'en');
    const html = renderToStaticMarkup(createElement(OfferReview, { t, locale: 'en', offer, fields }));
    expect(html).toMatch(/<dt[^>]*>Balcony<\/dt><dd[^>]*>Yes<\/dd>/);
  });

  it('appears in the staff mail and, being a structured fact, in the confirmation', () => {
    const input = { reference: 'K7M4-QX9T', receivedAt: '2026-11-28T10:00:00Z', offer, routingReason: 'r' };
    const staff = renderOfferMail({ ...input, recipient: 'coordinator' }, fields);
    expect(staff.text).toContain('Balkon: Ja');
    const landlord = renderConfirmationMail(
      { ...input, locale: 'en', coordinator: { name: 'K', email: 'k@example.org' }, nameCarrier: false },
      fields,
    );
    expect(landlord.text).toContain('Balcony: Yes');
    expect(landlord.html).toMatch(/>Balcony<\/th><td[^>]*>Yes<\/td>/);
  });

  it('appears in the JSON Schema of the webhook payload and in the README table', () => {
    const json = JSON.stringify(offerEventJsonSchema(fields));
    expect(json).toContain('"balcony":{"type":"boolean"}');
    expect(fieldTable(fields)).toContain('| `balcony` | apartment | Balcony | boolean | yes | yes |');
  });
});
