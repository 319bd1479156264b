import * as z from 'zod/mini';
import type { $ZodError } from 'zod/v4/core';
import { isColognePostalCode, stadtteilNames } from '../data/cologne.ts';

/**
 * The apartment offer: ONE schema for the form in the browser and the handler on the server.
 * Its keys are a public contract (carriers' systems read them in the webhook payload).
 *
 * It reads both shapes an offer arrives in: JSON from the island (numbers and booleans typed)
 * and urlencoded form posts without JavaScript (everything a string, German decimal commas,
 * checkboxes absent when not ticked). Every error message is a translation key
 * (`offer.error.*`); the pages translate it.
 *
 * Written with zod/mini (the same zod 4 core, tree-shakable): the island ships this schema to
 * the browser, and the offer page's JavaScript budget is 100 KB.
 */

export const offerErrorKeys = [
  'offer.error.required',
  'offer.error.choice',
  'offer.error.email',
  'offer.error.phone',
  'offer.error.postalCode',
  'offer.error.stadtteil',
  'offer.error.houseNumber',
  'offer.error.number',
  'offer.error.integer',
  'offer.error.halfStep',
  'offer.error.decimals',
  'offer.error.min',
  'offer.error.max',
  'offer.error.dateFormat',
  'offer.error.dateInPast',
  'offer.error.consent',
  'offer.error.tooLong',
  'offer.error.heatingCosts',
  'offer.error.unknownField',
  'offer.error.invalid',
] as const;
export type OfferErrorKey = (typeof offerErrorKeys)[number];

const missing = (input: unknown) => input === undefined || input === null;
/** "required" when nothing came, otherwise the given key. */
const requiredOr = (key: OfferErrorKey) => (issue: { input?: unknown }) =>
  missing(issue.input) ? 'offer.error.required' : key;

/** Trims strings; empty strings become "not given". */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Reads numbers typed the German or English way: "650", "650,50", "650,-", "1.250,50", "1,250.50",
 * "2.5", "1 250 €". One separator followed by exactly three digits ("1.250", "1,250") is read as
 * thousands grouping: no field takes three decimals, and a German landlord who types "1.250" means
 * 1250 €, not 1.25 €. Anything else that is not a plain number is passed on unchanged (and then
 * fails as `offer.error.number`).
 */
function toNumber(value: unknown): unknown {
  const v = blankToUndefined(value);
  if (typeof v !== 'string') return v;
  const text = v.replace(/[\s\u00a0\u202f']|€|eur(o)?\b/gi, '').replace(/[.,][-\u2013\u2014]{1,2}$/, '');
  const m = /^(-?)(\d+(?:[.,]\d+)*)$/.exec(text);
  if (!m) return v;
  const [, sign, digits] = m as unknown as [string, string, string];
  const lastDot = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  let plain: string | undefined;
  if (lastDot === -1 && lastComma === -1) plain = digits;
  else if (lastDot !== -1 && lastComma !== -1) {
    // Both: the last one is the decimal separator, the other groups thousands.
    const [group, decimal] = lastDot > lastComma ? [',', '.'] : ['.', ','];
    const [whole, fraction, ...rest] = digits.split(decimal);
    if (rest.length === 0 && isGrouped(whole!, group)) plain = `${whole!.split(group).join('')}.${fraction}`;
  } else {
    const separator = lastDot !== -1 ? '.' : ',';
    const parts = digits.split(separator);
    if (isGrouped(digits, separator)) plain = parts.join('');
    else if (parts.length === 2) plain = `${parts[0]}.${parts[1]}`;
  }
  return plain === undefined ? v : Number(sign + plain);
}
/** "1.250", "12.345.678": thousands grouped with `separator` (a leading zero is a decimal: "0,500"). */
function isGrouped(digits: string, separator: string): boolean {
  const parts = digits.split(separator);
  return parts.length > 1 && /^[1-9]\d{0,2}$/.test(parts[0]!) && parts.slice(1).every((p) => /^\d{3}$/.test(p));
}
/** Checkbox values: ticked ("true", "on", "yes", "1", true) or not (absent, "false", "off", ...). */
function toBoolean(value: unknown): unknown {
  if (typeof value === 'boolean' || value === undefined) return value ?? false;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 'on', 'yes', '1'].includes(v)) return true;
    if (['false', 'off', 'no', '0', ''].includes(v)) return false;
  }
  return value;
}

/** "01.03.2027" (a browser without a date picker) becomes "2027-03-01". */
function toIsoDate(value: unknown): unknown {
  const v = blankToUndefined(value);
  if (typeof v !== 'string') return v;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  return german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : v;
}

/** No control characters (line breaks, tabs, NUL) in one-line fields: they end up in mail headers. */
const oneLine = /^[^\u0000-\u001f\u007f]*$/;
/** zod/mini has no preprocess: a transform piped into the schema is the same thing. */
const pre = <T extends z.core.$ZodType<unknown, unknown>>(fn: (value: unknown) => unknown, schema: T) =>
  z.pipe(z.transform(fn), schema);

const text = (max: number) =>
  pre(
    blankToUndefined,
    z
      .string({ error: requiredOr('offer.error.invalid') })
      .check(z.maxLength(max, 'offer.error.tooLong'), z.regex(oneLine, 'offer.error.invalid')),
  );
const optionalText = (max: number) =>
  pre(
    blankToUndefined,
    z.optional(z.string({ error: 'offer.error.invalid' }).check(z.maxLength(max, 'offer.error.tooLong'))),
  );

const twoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;
const number = (
  min: number,
  max: number,
  options: { integer?: boolean; halfSteps?: boolean; exclusiveMin?: boolean } = {},
) =>
  z
    .number({ error: requiredOr('offer.error.number') })
    .check(
      options.exclusiveMin ? z.gt(min, 'offer.error.min') : z.gte(min, 'offer.error.min'),
      z.lte(max, 'offer.error.max'),
      options.integer
        ? z.multipleOf(1, 'offer.error.integer')
        : options.halfSteps
          ? z.refine((n: number) => Number.isInteger(n * 2), 'offer.error.halfStep')
          : z.refine(twoDecimals, 'offer.error.decimals'),
    );
const amount = (
  min: number,
  max: number,
  options: { integer?: boolean; halfSteps?: boolean; exclusiveMin?: boolean } = {},
) => pre(toNumber, number(min, max, options));
const checkbox = () => pre(toBoolean, z.boolean({ error: 'offer.error.invalid' }));
const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  pre(blankToUndefined, z.enum(values, { error: 'offer.error.choice' }));

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
function isRealDate(value: string): boolean {
  const m = isoDate.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    date.getUTCFullYear() === Number(m[1]) &&
    date.getUTCMonth() === Number(m[2]) - 1 &&
    date.getUTCDate() === Number(m[3])
  );
}

/** Today in Cologne as YYYY-MM-DD: "available from" may be today, not earlier. */
export function todayInCologne(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(now);
}

/**
 * Builds the schema. `today` (YYYY-MM-DD) is injectable so that tests do not depend on the
 * calendar; by default it is read at each validation.
 */
export function createOfferSchema(options: { today?: string } = {}) {
  return createOfferObject(options).check(
    z.refine((offer) => offer.heatingIncluded || offer.heatingCosts !== undefined, {
      error: 'offer.error.heatingCosts',
      path: ['heatingCosts'],
      // Runs even while other fields are wrong, so the form shows this error together with
      // theirs; not when the two fields themselves (or the body as a whole) are wrong.
      when: (payload) =>
        typeof payload.value === 'object' &&
        payload.value !== null &&
        !Array.isArray(payload.value) &&
        // Raw issues may not carry a path yet (unrecognized keys get theirs later).
        !payload.issues.some((issue) => {
          const field = issue.path?.[0];
          return field === undefined
            ? issue.code === 'invalid_type'
            : field === 'heatingCosts' || field === 'heatingIncluded';
        }),
    }),
  );
}

/** The fields alone, without the cross-field rule (heating costs unless included): for derived schemas. */
export function createOfferObject(options: { today?: string } = {}) {
  return z.strictObject(
    {
      landlordType: choice(['private', 'company', 'housing_association']),
      name: text(120),
      email: pre(
        blankToUndefined,
        z.pipe(
          z.string({ error: requiredOr('offer.error.email') }).check(z.maxLength(254, 'offer.error.tooLong')),
          z.email({ error: 'offer.error.email' }),
        ),
      ),
      phone: pre(
        blankToUndefined,
        z.optional(
          z.string({ error: 'offer.error.phone' }).check(
            z.maxLength(40, 'offer.error.tooLong'),
            z.regex(/^\+?[0-9][0-9 ()/-]*$/, 'offer.error.phone'),
            z.refine((v: string) => v.replace(/\D/g, '').length >= 5, 'offer.error.phone'),
          ),
        ),
      ),
      contactNotes: optionalText(500),
      street: text(120),
      houseNumber: pre(
        (v) => blankToUndefined(typeof v === 'number' ? String(v) : v),
        z
          .string({ error: requiredOr('offer.error.houseNumber') })
          .check(
            z.maxLength(10, 'offer.error.tooLong'),
            z.regex(/^\d{1,4} ?[a-zA-Z]?( ?[-/] ?\d{1,4} ?[a-zA-Z]?)?$/, 'offer.error.houseNumber'),
          ),
      ),
      postalCode: pre(
        (v) => blankToUndefined(typeof v === 'number' ? String(v) : v),
        z
          .string({ error: requiredOr('offer.error.postalCode') })
          .check(z.refine(isColognePostalCode, 'offer.error.postalCode')),
      ),
      stadtteil: pre(blankToUndefined, z.enum(stadtteilNames, { error: requiredOr('offer.error.stadtteil') })),
      rooms: amount(1, 10, { halfSteps: true }),
      livingSpace: amount(10, 400),
      floor: amount(-1, 30, { integer: true }),
      lift: checkbox(),
      stepFree: checkbox(),
      availableFrom: pre(
        toIsoDate,
        z.string({ error: requiredOr('offer.error.dateFormat') }).check(
          z.refine(isRealDate, 'offer.error.dateFormat'),
          // Not `abort: true` on the format check: an explicit abort would also stop the
          // object-level heating-costs rule. A malformed date is simply not judged here.
          z.refine((v: string) => !isRealDate(v) || v >= (options.today ?? todayInCologne()), 'offer.error.dateInPast'),
        ),
      ),
      wbs: choice(['yes', 'no', 'unknown']),
      furnished: checkbox(),
      maxOccupants: amount(1, 20, { integer: true }),
      description: optionalText(2000),
      coldRent: amount(0, 10_000, { exclusiveMin: true }),
      serviceCharges: amount(0, 5000),
      heatingCosts: pre(toNumber, z.optional(number(0, 5000))),
      heatingIncluded: checkbox(),
      deposit: amount(0, 30_000),
      privacyConsent: pre(
        (v) => (v === undefined ? undefined : toBoolean(v)),
        z.literal(true, { error: 'offer.error.consent' }),
      ),
      submissionId: z.uuid({ error: 'offer.error.invalid' }),
      locale: z.enum(['de', 'en'], { error: 'offer.error.invalid' }),
      formStartedAt: pre(
        toNumber,
        z.optional(
          z
            .number({ error: 'offer.error.invalid' })
            .check(
              z.multipleOf(1, 'offer.error.invalid'),
              z.gt(0, 'offer.error.invalid'),
              z.lte(1e13, 'offer.error.invalid'),
            ),
        ),
      ),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'offer.error.unknownField' : 'offer.error.invalid') },
  );
}

/** The schema with today's date in Cologne; what the island uses. */
export const offerSchema = createOfferSchema();
export type OfferInput = z.input<typeof offerSchema>;
export type Offer = z.output<typeof offerSchema>;

/** The form's sections and their fields, in order. */
export const offerFields = {
  about: ['landlordType', 'name', 'email', 'phone', 'contactNotes'],
  apartment: [
    'street',
    'houseNumber',
    'postalCode',
    'stadtteil',
    'rooms',
    'livingSpace',
    'floor',
    'lift',
    'stepFree',
    'availableFrom',
    'wbs',
    'furnished',
    'maxOccupants',
    'description',
  ],
  money: ['coldRent', 'serviceCharges', 'heatingCosts', 'heatingIncluded', 'deposit'],
  consent: ['privacyConsent'],
} as const;

const knownKeys = new Set<string>(offerErrorKeys);

/**
 * Field name → first error key. Unknown fields are reported under their own name; a body that is
 * not an object at all under `_form`. Anything zod says that is not one of our keys becomes
 * `offer.error.invalid`, so no English sentence from a library ever reaches a landlord.
 */
export function fieldErrors(error: $ZodError): Record<string, OfferErrorKey> {
  // A Map, not an object: field names come from strangers ("constructor", "__proto__").
  const out = new Map<string, OfferErrorKey>();
  const add = (field: string, key: OfferErrorKey) => {
    if (!out.has(field)) out.set(field, key);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const name of issue.keys) add(name, 'offer.error.unknownField');
      continue;
    }
    add(
      issue.path.length ? String(issue.path[0]) : '_form',
      (knownKeys.has(issue.message) ? issue.message : 'offer.error.invalid') as OfferErrorKey,
    );
  }
  return Object.fromEntries(out);
}

/** Cold rent + service charges + heating (unless included), for the live total; undefined until a rent is typed. */
export function totalRent(values: {
  coldRent?: unknown;
  serviceCharges?: unknown;
  heatingCosts?: unknown;
  heatingIncluded?: unknown;
}): number | undefined {
  const num = (v: unknown) => {
    const n = toNumber(v);
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const cold = num(values.coldRent);
  if (cold === undefined) return undefined;
  const included = toBoolean(values.heatingIncluded) === true;
  const sum = cold + (num(values.serviceCharges) ?? 0) + (included ? 0 : (num(values.heatingCosts) ?? 0));
  return Math.round(sum * 100) / 100;
}
