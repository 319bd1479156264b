import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createOfferSchema, errorParams, fieldErrors, offerErrorKeys, offerFields, totalRent } from './offer.ts';
import { fieldOrder } from './offer-fields.ts';
import { stadtteileByPostalCode, stadtteileOf } from '../data/cologne.ts';
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
    const { phone, contactNotes, description, formStartedAt, heatingCosts, ...rest } = validOffer({
      heatingIncluded: true,
    });
    expect(errorsOf(rest)).toEqual({});
  });
});

// Each row: field, value, expected error key. Values are tried as given (JSON) and, where they
// are strings, as the no-JS form would post them.
const invalid: Array<[string, unknown, string]> = [
  ['landlordType', undefined, 'offer.error.choice'],
  ['landlordType', 'landlord', 'offer.error.choice'],
  ['landlordType', 1, 'offer.error.choice'],
  ['name', undefined, 'offer.error.required'],
  ['name', '   ', 'offer.error.required'],
  ['name', 'x'.repeat(121), 'offer.error.tooLong'],
  ['name', 42, 'offer.error.invalid'],
  ['name', 'Erika\r\nBcc: evil@example.org', 'offer.error.invalid'],
  ['street', 'Hauptstraße\u0000', 'offer.error.invalid'],
  ['email', undefined, 'offer.error.required'],
  ['email', 'erika.example.org', 'offer.error.email'],
  ['email', ['erika@example.org'], 'offer.error.email'],
  ['email', `${'a'.repeat(250)}@x.de`, 'offer.error.tooLong'],
  ['phone', 'call me', 'offer.error.phone'],
  ['phone', '123', 'offer.error.phone'],
  ['phone', '0'.repeat(41), 'offer.error.tooLong'],
  ['contactNotes', 'x'.repeat(501), 'offer.error.tooLong'],
  ['contactNotes', { when: 'evenings' }, 'offer.error.invalid'],
  ['street', undefined, 'offer.error.required'],
  ['street', 'x'.repeat(121), 'offer.error.tooLong'],
  ['houseNumber', undefined, 'offer.error.required'],
  ['houseNumber', 'zwölf', 'offer.error.houseNumber'],
  ['houseNumber', '12345678901', 'offer.error.tooLong'],
  ['postalCode', undefined, 'offer.error.required'],
  ['postalCode', '10115', 'offer.error.postalCode'],
  ['postalCode', '5066', 'offer.error.postalCode'],
  ['postalCode', '53111', 'offer.error.postalCode'],
  ['postalCode', '50666', 'offer.error.postalCode'],
  // A select: "please choose from the list", also when nothing was chosen.
  ['stadtteil', undefined, 'offer.error.stadtteil'],
  ['stadtteil', 'Bonn-Beuel', 'offer.error.stadtteil'],
  ['stadtteil', 'kalk', 'offer.error.stadtteil'],
  ['stadtteil', 'Innenstadt', 'offer.error.stadtteil'],
  ['stadtteil', 802, 'offer.error.stadtteil'],
  ['rooms', undefined, 'offer.error.required'],
  ['rooms', '2,3', 'offer.error.halfStep'],
  ['rooms', '0,5', 'offer.error.min'],
  ['rooms', '11', 'offer.error.max'],
  ['rooms', 'drei', 'offer.error.number'],
  ['livingSpace', '5', 'offer.error.min'],
  ['livingSpace', '401', 'offer.error.max'],
  ['livingSpace', '62,5555', 'offer.error.decimals'],
  ['livingSpace', {}, 'offer.error.number'],
  ['floor', '-2', 'offer.error.floor'],
  ['floor', '31', 'offer.error.floor'],
  ['floor', '2,5', 'offer.error.floor'],
  ['floor', undefined, 'offer.error.floor'],
  ['floor', 'EG', 'offer.error.floor'],
  ['lift', 'maybe', 'offer.error.invalid'],
  ['stepFree', 7, 'offer.error.invalid'],
  ['stepFree', 'nope', 'offer.error.invalid'],
  ['availableFrom', undefined, 'offer.error.required'],
  ['availableFrom', 'next week', 'offer.error.dateFormat'],
  ['availableFrom', '2027-02-30', 'offer.error.dateFormat'],
  ['availableFrom', '2026-11-27', 'offer.error.dateInPast'],
  ['availableFrom', '27.11.2026', 'offer.error.dateInPast'],
  ['availableFrom', 20270301, 'offer.error.dateFormat'],
  ['wbs', 'maybe', 'offer.error.choice'],
  ['wbs', undefined, 'offer.error.choice'],
  ['wbs', true, 'offer.error.choice'],
  ['furnished', 'sometimes', 'offer.error.invalid'],
  ['maxOccupants', '0', 'offer.error.min'],
  ['maxOccupants', '21', 'offer.error.max'],
  ['maxOccupants', '2,5', 'offer.error.integer'],
  ['maxOccupants', 'viele', 'offer.error.number'],
  ['description', 'x'.repeat(2001), 'offer.error.tooLong'],
  ['description', 7, 'offer.error.invalid'],
  ['coldRent', '0', 'offer.error.min'],
  ['coldRent', '10001', 'offer.error.max'],
  ['coldRent', '1650,555', 'offer.error.decimals'],
  ['coldRent', 650.555, 'offer.error.decimals'],
  ['coldRent', '1.2.3', 'offer.error.number'],
  ['coldRent', undefined, 'offer.error.required'],
  ['serviceCharges', '-1', 'offer.error.min'],
  ['serviceCharges', '5001', 'offer.error.max'],
  ['serviceCharges', undefined, 'offer.error.required'],
  ['heatingCosts', '5001', 'offer.error.max'],
  ['heatingCosts', undefined, 'offer.error.heatingCosts'],
  ['heatingCosts', '', 'offer.error.heatingCosts'],
  ['heatingCosts', '-5', 'offer.error.min'],
  ['heatingIncluded', 'maybe', 'offer.error.invalid'],
  ['heatingIncluded', 3, 'offer.error.invalid'],
  ['deposit', '30001', 'offer.error.max'],
  ['deposit', undefined, 'offer.error.required'],
  ['deposit', '-1', 'offer.error.min'],
  ['deposit', 'zwei Kaltmieten', 'offer.error.number'],
  ['privacyConsent', undefined, 'offer.error.consent'],
  ['privacyConsent', false, 'offer.error.consent'],
  ['privacyConsent', 'false', 'offer.error.consent'],
  ['privacyConsent', 'no', 'offer.error.consent'],
  ['privacyConsent', 1, 'offer.error.consent'],
  ['submissionId', 'not-a-uuid', 'offer.error.invalid'],
  ['submissionId', undefined, 'offer.error.invalid'],
  ['locale', 'fr', 'offer.error.invalid'],
  ['locale', undefined, 'offer.error.invalid'],
  ['formStartedAt', 'yesterday', 'offer.error.invalid'],
  ['formStartedAt', -5, 'offer.error.invalid'],
  ['formStartedAt', 1.5, 'offer.error.invalid'],
];

describe('offer schema: every field rejects bad values with its key', () => {
  it.each(invalid)('%s = %j → %s (JSON)', (field, value, key) => {
    const errors = errorsOf(validOffer({ [field]: value }));
    expect(errors[field]).toBe(key);
    expect(Object.keys(errors)).toEqual([field]);
    expect(offerErrorKeys).toContain(key);
  });
  it.each(invalid.filter(([, v]) => v === undefined))('%s absent (key missing) → %s (JSON)', (field, _value, key) => {
    const offer = validOffer();
    delete offer[field];
    if (field === 'heatingCosts') offer.heatingIncluded = false;
    expect(errorsOf(offer)[field]).toBe(key);
  });
  it.each(invalid.filter(([, v]) => typeof v === 'string' || v === undefined))(
    '%s = %j → %s (form post)',
    (field, value, key) => {
      const form = asFormObject(validOffer());
      if (value === undefined) delete form[field];
      else form[field] = value as string;
      const errors = errorsOf(form);
      expect(errors[field]).toBe(key);
      expect(Object.keys(errors)).toEqual([field]);
    },
  );
  it.each([
    'name',
    'email',
    'rooms',
    'floor',
    'lift',
    'availableFrom',
    'stadtteil',
    'postalCode',
    'privacyConsent',
    'submissionId',
    'locale',
  ])('a type error in %s (object, array, null) is reported with a key, not a sentence', (field) => {
    for (const value of [{ a: 1 }, ['x'], null]) {
      const errors = errorsOf(validOffer({ [field]: value }));
      expect(Object.keys(errors)).toEqual([field]);
      expect(offerErrorKeys).toContain(errors[field]);
    }
  });
  it("reports missing heating costs together with the other fields' errors", () => {
    expect(errorsOf(validOffer({ heatingCosts: undefined, name: '', rooms: 'drei', isAdmin: true }))).toEqual({
      name: 'offer.error.required',
      rooms: 'offer.error.number',
      isAdmin: 'offer.error.unknownField',
      heatingCosts: 'offer.error.heatingCosts',
    });
  });
  it('reports every required field of an empty body', () => {
    expect(errorsOf({})).toEqual({
      landlordType: 'offer.error.choice',
      name: 'offer.error.required',
      email: 'offer.error.required',
      street: 'offer.error.required',
      houseNumber: 'offer.error.required',
      postalCode: 'offer.error.required',
      stadtteil: 'offer.error.stadtteil',
      rooms: 'offer.error.required',
      livingSpace: 'offer.error.required',
      floor: 'offer.error.floor',
      availableFrom: 'offer.error.required',
      wbs: 'offer.error.choice',
      maxOccupants: 'offer.error.required',
      coldRent: 'offer.error.required',
      serviceCharges: 'offer.error.required',
      heatingCosts: 'offer.error.heatingCosts',
      deposit: 'offer.error.required',
      privacyConsent: 'offer.error.consent',
      submissionId: 'offer.error.invalid',
      locale: 'offer.error.invalid',
    });
  });
  it('reports unknown fields by name', () => {
    expect(errorsOf({ ...validOffer(), isAdmin: true, __proto__x: 1 })).toEqual({
      isAdmin: 'offer.error.unknownField',
      __proto__x: 'offer.error.unknownField',
    });
  });
  it('reports a body that is not an object', () => {
    expect(errorsOf('offer')).toEqual({ _form: 'offer.error.invalid' });
    expect(errorsOf(null)).toEqual({ _form: 'offer.error.invalid' });
    expect(errorsOf([validOffer()])).toEqual({ _form: 'offer.error.invalid' });
  });
});

// Each row: field, a valid value, what the schema makes of it. `undefined` as value means the key
// is absent. String values are also tried as the no-JS form posts them.
const valid: Array<[string, unknown, unknown]> = [
  ['landlordType', 'private', 'private'],
  ['landlordType', 'company', 'company'],
  ['landlordType', 'housing_association', 'housing_association'],
  ['name', '  Erika Mustermann ', 'Erika Mustermann'],
  ['name', 'x'.repeat(120), 'x'.repeat(120)],
  ['email', ' erika@example.org ', 'erika@example.org'],
  ['phone', '+49 221 123456', '+49 221 123456'],
  ['phone', '', undefined],
  ['phone', undefined, undefined],
  ['contactNotes', 'x'.repeat(500), 'x'.repeat(500)],
  ['contactNotes', '  ', undefined],
  ['contactNotes', undefined, undefined],
  ['street', ' Kalker Hauptstraße ', 'Kalker Hauptstraße'],
  ['houseNumber', '12', '12'],
  ['houseNumber', '12a', '12a'],
  ['houseNumber', '12-14', '12-14'],
  ['houseNumber', 12, '12'],
  ['postalCode', '50667', '50667'],
  ['postalCode', '51149', '51149'],
  ['postalCode', 50859, '50859'],
  ['stadtteil', 'Humboldt/Gremberg', 'Humboldt/Gremberg'],
  ['stadtteil', 'Neustadt-Süd', 'Neustadt-Süd'],
  ['stadtteil', ' Höhenhaus ', 'Höhenhaus'],
  ['rooms', 1, 1],
  ['rooms', 10, 10],
  ['rooms', '2,5', 2.5],
  ['rooms', '1.5', 1.5],
  ['livingSpace', 10, 10],
  ['livingSpace', 400, 400],
  ['livingSpace', '62,5', 62.5],
  ['floor', -1, -1],
  ['floor', 0, 0],
  ['floor', '30', 30],
  ['lift', true, true],
  ['lift', 'on', true],
  ['lift', 'false', false],
  ['lift', undefined, false],
  ['stepFree', 'yes', true],
  ['stepFree', undefined, false],
  ['availableFrom', '2026-11-28', '2026-11-28'],
  ['availableFrom', '2030-01-31', '2030-01-31'],
  ['wbs', 'yes', 'yes'],
  ['wbs', 'unknown', 'unknown'],
  ['furnished', true, true],
  ['furnished', 'true', true],
  ['furnished', undefined, false],
  ['maxOccupants', 1, 1],
  ['maxOccupants', '20', 20],
  ['description', 'x'.repeat(2000), 'x'.repeat(2000)],
  ['description', '', undefined],
  ['coldRent', 0.01, 0.01],
  ['coldRent', 10000, 10000],
  ['coldRent', '650,50', 650.5],
  ['coldRent', '1.250', 1250],
  ['serviceCharges', 0, 0],
  ['serviceCharges', '5000', 5000],
  ['heatingCosts', 0, 0],
  ['heatingCosts', '90,5', 90.5],
  ['heatingIncluded', 'on', true],
  ['heatingIncluded', undefined, false],
  ['deposit', 0, 0],
  ['deposit', '30.000', 30000],
  ['privacyConsent', true, true],
  ['privacyConsent', 'on', true],
  ['submissionId', '123e4567-e89b-42d3-a456-426614174000', '123e4567-e89b-42d3-a456-426614174000'],
  ['locale', 'en', 'en'],
  ['formStartedAt', 1764300000000, 1764300000000],
  ['formStartedAt', '1764300000000', 1764300000000],
  ['formStartedAt', undefined, undefined],
];

describe('offer schema: every field accepts good values', () => {
  const read = (input: Record<string, unknown>, field: string) => {
    const result = schema.safeParse(input);
    expect(result.success ? {} : fieldErrors(result.error)).toEqual({});
    return (result.data as Record<string, unknown>)[field];
  };
  /** Another postal code or Stadtteil needs its partner: the two must fit together. */
  const fitPair = (offer: Record<string, unknown>, field: string) => {
    if (field === 'postalCode') offer.stadtteil = stadtteileOf(String(offer.postalCode).trim())[0] ?? offer.stadtteil;
    if (field === 'stadtteil') {
      const name = String(offer.stadtteil).trim();
      const code = Object.entries(stadtteileByPostalCode).find(([, area]) => area.streets.includes(name))?.[0];
      if (code) offer.postalCode = code;
    }
  };
  it.each(valid)('%s = %j is read as %j (JSON)', (field, value, expected) => {
    const offer = validOffer();
    if (value === undefined) delete offer[field];
    else offer[field] = value;
    fitPair(offer, field);
    expect(read(offer, field)).toEqual(expected);
  });
  it.each(valid.filter(([, v]) => typeof v === 'string' || v === undefined))(
    '%s = %j is read as %j (form post)',
    (field, value, expected) => {
      const form = asFormObject(validOffer());
      if (value === undefined) delete form[field];
      else form[field] = value as string;
      fitPair(form, field);
      expect(read(form, field)).toEqual(expected);
    },
  );
});

describe('offer schema: values people type', () => {
  it.each([
    ['rooms', '2,5', 2.5],
    ['rooms', '3', 3],
    ['coldRent', '1.250,50', 1250.5],
    ['coldRent', '650,50 €', 650.5],
    ['coldRent', '650.5', 650.5],
    ['coldRent', '1,250.50', 1250.5],
    ['coldRent', '1,250', 1250],
    ['coldRent', '650,-', 650],
    ['coldRent', '650 EUR', 650],
    ['deposit', '1 950', 1950],
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

describe('postal code and Stadtteil fit together', () => {
  it.each([
    ['50667', 'Altstadt-Nord', {}],
    ['51103', 'Kalk', {}],
    ['50668', 'Nippes', {}],
    ['50667', 'Kalk', { stadtteil: 'offer.error.postalCodeStadtteil' }],
    ['51149', 'Lindenthal', { stadtteil: 'offer.error.postalCodeStadtteil' }],
    // An unknown postal code is the postal code's error, not the pair's.
    ['10115', 'Kalk', { postalCode: 'offer.error.postalCode' }],
  ] as const)('%s + %s', (postalCode, stadtteil, errors) => {
    expect(errorsOf(validOffer({ postalCode, stadtteil }))).toEqual(errors);
  });

  it('names the Stadtteile of the postal code in the message', () => {
    const t = (key: string, params: Record<string, string | number>) =>
      (de as Record<string, string>)[key]!.replace(/\{(\w+)\}/g, (_, n: string) => String(params[n]));
    const text = t('offer.error.postalCodeStadtteil', errorParams(undefined, { postalCode: '50667' }));
    expect(text).toBe(
      'Zur Postleitzahl 50667 gehören die Stadtteile Altstadt-Nord, Altstadt-Süd. Bitte prüfen Sie Postleitzahl und Stadtteil.',
    );
  });
});

describe('offer errors in both languages', () => {
  it.each([...offerErrorKeys])('%s is translated in German and English', (key) => {
    expect((de as Record<string, string>)[key]).toBeTruthy();
    expect((en as Record<string, string>)[key]).toBeTruthy();
  });
  it.each(offerFields.map((f) => f.name))('field %s has its label and summary in both languages', (field) => {
    for (const strings of [de, en] as Record<string, string>[]) {
      expect(strings[`offer.${field}.label`]).toBeTruthy();
      expect(strings[`offer.${field}.summary`]).toBeTruthy();
    }
  });
});

describe('total rent', () => {
  it.each([
    [{ coldRent: '650', serviceCharges: '180', heatingCosts: '90' }, 920],
    [{ coldRent: '650', serviceCharges: '180', heatingCosts: '90', heatingIncluded: true }, 830],
    [{ coldRent: '650,50', serviceCharges: '', heatingCosts: '' }, 650.5],
    [{ coldRent: '', serviceCharges: '180' }, undefined],
    [{ coldRent: 'abc' }, undefined],
    [{ coldRent: '1.250', serviceCharges: '180,10', heatingCosts: '90,20' }, 1520.3],
    [{ coldRent: 0.1, serviceCharges: 0.2 }, 0.3],
    [{ coldRent: 650, serviceCharges: 'abc', heatingCosts: -5 }, 650],
    [{}, undefined],
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
  it('reports a wrong value of any one field under that field only, with a known key', () => {
    const known = new Set<string>(offerErrorKeys);
    const fields = fieldOrder();
    const value = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.constantFrom('', ' ', 'on', '0', '-1', '1,5', '1.250', 'true', 'null'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields, 'submissionId', 'locale', 'formStartedAt'), value, (field, v) => {
        const errors = errorsOf(validOffer({ [field]: v }));
        for (const [name, key] of Object.entries(errors)) {
          // Another postal code may not fit the Stadtteil: that pair's error is the Stadtteil's.
          if (field === 'postalCode' && name === 'stadtteil') expect(key).toBe('offer.error.postalCodeStadtteil');
          else expect(name).toBe(field);
          expect(known.has(key)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
