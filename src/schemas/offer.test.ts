import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createOfferSchema, fieldErrors, offerErrorKeys, offerFields, totalRent } from './offer.ts';
import de from '../i18n/ui/de.json';
import en from '../i18n/ui/en.json';
import { validOffer, asForm } from '../../tests/support/offers.ts';

const schema = createOfferSchema({ today: '2026-11-28' });
const errorsOf = (input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? {} : fieldErrors(result.error);
};
/** The same offer as the no-JS form posts it: all strings. */
const asFormObject = (offer: Record<string, unknown>) => Object.fromEntries(new URLSearchParams(asForm(offer)));

describe('offer schema: valid offers', () => {
  it('accepts the JSON the island sends', () => {
    expect(errorsOf(validOffer())).toEqual({});
  });
  it('accepts the same offer as a urlencoded form post, and reads it identically', () => {
    const offer = validOffer();
    const fromJson = schema.parse(offer);
    const fromForm = schema.parse(asFormObject(offer));
    expect(fromForm).toEqual(fromJson);
  });
  it('drops empty optional fields and trims text', () => {
    const parsed = schema.parse(validOffer({ phone: '', contactNotes: '   ', description: '', name: '  Erika  ' }));
    expect(parsed.phone).toBeUndefined();
    expect(parsed.contactNotes).toBeUndefined();
    expect(parsed.description).toBeUndefined();
    expect(parsed.name).toBe('Erika');
  });
  it('accepts absent optional fields', () => {
    const { phone, contactNotes, description, formStartedAt, heatingCosts, ...rest } = validOffer({ heatingIncluded: true });
    expect(errorsOf(rest)).toEqual({});
  });
});

// Each row: field, value, expected error key. Values are tried as given (JSON) and, where they
// are strings, as the no-JS form would post them.
const invalid: Array<[string, unknown, string]> = [
  ['landlordType', undefined, 'offer.error.choice'],
  ['landlordType', 'landlord', 'offer.error.choice'],
  ['name', undefined, 'offer.error.required'],
  ['name', '   ', 'offer.error.required'],
  ['name', 'x'.repeat(121), 'offer.error.tooLong'],
  ['name', 42, 'offer.error.invalid'],
  ['name', 'Erika\r\nBcc: evil@example.org', 'offer.error.invalid'],
  ['street', 'Hauptstraße\u0000', 'offer.error.invalid'],
  ['email', undefined, 'offer.error.required'],
  ['email', 'erika.example.org', 'offer.error.email'],
  ['email', `${'a'.repeat(250)}@x.de`, 'offer.error.tooLong'],
  ['phone', 'call me', 'offer.error.phone'],
  ['phone', '123', 'offer.error.phone'],
  ['phone', '0'.repeat(41), 'offer.error.tooLong'],
  ['contactNotes', 'x'.repeat(501), 'offer.error.tooLong'],
  ['street', undefined, 'offer.error.required'],
  ['street', 'x'.repeat(121), 'offer.error.tooLong'],
  ['houseNumber', undefined, 'offer.error.required'],
  ['houseNumber', 'zwölf', 'offer.error.houseNumber'],
  ['postalCode', undefined, 'offer.error.required'],
  ['postalCode', '10115', 'offer.error.postalCode'],
  ['postalCode', '5066', 'offer.error.postalCode'],
  ['stadtteil', undefined, 'offer.error.required'],
  ['stadtteil', 'Bonn-Beuel', 'offer.error.stadtteil'],
  ['stadtteil', 'kalk', 'offer.error.stadtteil'],
  ['rooms', undefined, 'offer.error.required'],
  ['rooms', '2,3', 'offer.error.halfStep'],
  ['rooms', '0,5', 'offer.error.min'],
  ['rooms', '11', 'offer.error.max'],
  ['rooms', 'drei', 'offer.error.number'],
  ['livingSpace', '5', 'offer.error.min'],
  ['livingSpace', '401', 'offer.error.max'],
  ['livingSpace', '62,555', 'offer.error.decimals'],
  ['floor', '-2', 'offer.error.min'],
  ['floor', '31', 'offer.error.max'],
  ['floor', '2,5', 'offer.error.integer'],
  ['lift', 'maybe', 'offer.error.invalid'],
  ['stepFree', 7, 'offer.error.invalid'],
  ['availableFrom', undefined, 'offer.error.required'],
  ['availableFrom', 'next week', 'offer.error.dateFormat'],
  ['availableFrom', '2027-02-30', 'offer.error.dateFormat'],
  ['availableFrom', '2026-11-27', 'offer.error.dateInPast'],
  ['wbs', 'maybe', 'offer.error.choice'],
  ['wbs', undefined, 'offer.error.choice'],
  ['furnished', 'sometimes', 'offer.error.invalid'],
  ['maxOccupants', '0', 'offer.error.min'],
  ['maxOccupants', '21', 'offer.error.max'],
  ['maxOccupants', '2,5', 'offer.error.integer'],
  ['description', 'x'.repeat(2001), 'offer.error.tooLong'],
  ['coldRent', '0', 'offer.error.min'],
  ['coldRent', '10001', 'offer.error.max'],
  ['coldRent', '650,555', 'offer.error.decimals'],
  ['coldRent', undefined, 'offer.error.required'],
  ['serviceCharges', '-1', 'offer.error.min'],
  ['serviceCharges', '5001', 'offer.error.max'],
  ['heatingCosts', '5001', 'offer.error.max'],
  ['heatingCosts', undefined, 'offer.error.heatingCosts'],
  ['deposit', '30001', 'offer.error.max'],
  ['deposit', undefined, 'offer.error.required'],
  ['privacyConsent', undefined, 'offer.error.consent'],
  ['privacyConsent', false, 'offer.error.consent'],
  ['privacyConsent', 'false', 'offer.error.consent'],
  ['submissionId', 'not-a-uuid', 'offer.error.invalid'],
  ['locale', 'fr', 'offer.error.invalid'],
  ['formStartedAt', 'yesterday', 'offer.error.invalid'],
  ['formStartedAt', -5, 'offer.error.invalid'],
];

describe('offer schema: every field rejects bad values with its key', () => {
  it.each(invalid)('%s = %j → %s (JSON)', (field, value, key) => {
    expect(errorsOf(validOffer({ [field]: value }))[field]).toBe(key);
  });
  it.each(invalid.filter(([, v]) => typeof v === 'string'))('%s = %j → %s (form post)', (field, value, key) => {
    const form = asFormObject(validOffer());
    form[field] = value as string;
    expect(errorsOf(form)[field]).toBe(key);
  });
  it('reports unknown fields by name', () => {
    expect(errorsOf({ ...validOffer(), isAdmin: true, __proto__x: 1 })).toEqual({ isAdmin: 'offer.error.unknownField', __proto__x: 'offer.error.unknownField' });
  });
  it('reports a body that is not an object', () => {
    expect(errorsOf('offer')).toEqual({ _form: 'offer.error.invalid' });
    expect(errorsOf(null)).toEqual({ _form: 'offer.error.invalid' });
  });
});

describe('offer schema: values people type', () => {
  it.each([
    ['rooms', '2,5', 2.5],
    ['rooms', '3', 3],
    ['coldRent', '1.250,50', 1250.5],
    ['coldRent', '650,50 €', 650.5],
    ['coldRent', '650.5', 650.5],
    ['floor', '0', 0],
    ['floor', '-1', -1],
    ['availableFrom', '01.03.2027', '2027-03-01'],
    ['availableFrom', '1.3.2027', '2027-03-01'],
    ['availableFrom', '2026-11-28', '2026-11-28'],
    ['lift', 'on', true],
    ['lift', 'true', true],
    ['houseNumber', '12-14', '12-14'],
    ['houseNumber', '7 b', '7 b'],
    ['phone', '+49 (0)221 / 123-456', '+49 (0)221 / 123-456'],
  ])('%s = %j is read as %j', (field, typed, expected) => {
    const form = asFormObject(validOffer());
    form[field] = typed as string;
    expect((schema.parse(form) as Record<string, unknown>)[field]).toEqual(expected);
  });
  it('does not need heating costs when they are included', () => {
    expect(errorsOf(validOffer({ heatingCosts: undefined, heatingIncluded: true }))).toEqual({});
  });
});

describe('offer errors in both languages', () => {
  it.each([...offerErrorKeys])('%s is translated in German and English', (key) => {
    expect((de as Record<string, string>)[key]).toBeTruthy();
    expect((en as Record<string, string>)[key]).toBeTruthy();
  });
  it.each(Object.values(offerFields).flat())('field %s has a label in both languages', (field) => {
    expect((de as Record<string, string>)[`offer.${field}.label`]).toBeTruthy();
    expect((en as Record<string, string>)[`offer.${field}.label`]).toBeTruthy();
  });
});

describe('total rent', () => {
  it.each([
    [{ coldRent: '650', serviceCharges: '180', heatingCosts: '90' }, 920],
    [{ coldRent: '650', serviceCharges: '180', heatingCosts: '90', heatingIncluded: true }, 830],
    [{ coldRent: '650,50', serviceCharges: '', heatingCosts: '' }, 650.5],
    [{ coldRent: '', serviceCharges: '180' }, undefined],
    [{ coldRent: 'abc' }, undefined],
  ])('%j → %j', (values, expected) => {
    expect(totalRent(values)).toBe(expected);
  });
});

describe('offer schema under arbitrary input (property-based)', () => {
  it('never throws and only ever reports known message keys', () => {
    const known = new Set<string>(offerErrorKeys);
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())), (input) => {
        for (const key of Object.values(errorsOf(input))) expect(known.has(key)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
