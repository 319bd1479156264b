import * as z from 'zod/mini';
import { isColognePostalCode, stadtbezirke, stadtteile, stadtteilNames } from '../data/cologne.ts';
import { formatArea, formatDate, formatFloor, formatMoney, formatNumber } from '../i18n/format.ts';
import type { Locale } from '../i18n/routes.ts';
import type { Translator } from '../i18n/translate.ts';

/**
 * THE list of the offer's fields. Each field is declared here once, with everything that is
 * derived from it elsewhere:
 * - the zod schema (src/schemas/offer.ts builds the object from `schema`),
 * - the form: order, section, control, limits, options, autocomplete (OfferForm.tsx),
 * - the review ("check your answers") and the mails: the row label (`offer.<name>.summary`) and
 *   how the value is shown (`show`),
 * - the webhook payload and its JSON Schema (through the zod schema),
 * - the README's field table (npm run schema).
 *
 * Words live in the catalogues: `offer.<name>.label` (the form's question) and
 * `offer.<name>.summary` (the short label of the review and the mails), plus
 * `offer.<name>.hint` when `hint` is set and `offer.<name>.<option>` for choices.
 * Adding a plain field (say "balcony, yes/no") is one entry below and those two strings.
 *
 * Cross-field rules (heating included ↔ heating costs, postal code ↔ Stadtteil) live in
 * src/schemas/offer.ts. No zod classic here: the island ships this file (zod/mini).
 */

export const offerSections = ['about', 'apartment', 'money', 'consent'] as const;
export type OfferSection = (typeof offerSections)[number];

/** Every message key a field can report; the pages translate them. */
export const offerErrorKeys = [
  'offer.error.required',
  'offer.error.choice',
  'offer.error.email',
  'offer.error.phone',
  'offer.error.postalCode',
  'offer.error.postalCodeStadtteil',
  'offer.error.stadtteil',
  'offer.error.floor',
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

/** What a `show` function may read: the whole offer (a row may combine fields), the language, its words. */
export interface ShowContext {
  offer: Readonly<Record<string, unknown>>;
  locale: Locale;
  t: Translator;
}

/** One option of a choice: its stored value and its label in the reader's language. */
export interface ChoiceOption {
  value: string;
  label: (t: Translator, locale: Locale) => string;
  /** Options of a select may come in groups (Stadtteile by Stadtbezirk). */
  group?: string;
}

export type Control =
  | { type: 'text'; inputType?: 'text' | 'email' | 'tel' | 'date'; maxLength?: number }
  | { type: 'textarea'; maxLength: number; rows: number; counter?: boolean }
  | { type: 'select'; options: () => ChoiceOption[] }
  | { type: 'radios'; options: () => ChoiceOption[] }
  | { type: 'checkbox' }
  | { type: 'total' };

export interface SchemaContext {
  /** "Today" in Cologne (YYYY-MM-DD), injectable for tests. */
  today?: string;
}

export interface OfferField<N extends string = string, S extends z.core.$ZodType = z.core.$ZodType> {
  name: N;
  section: OfferSection;
  control: Control;
  /** The landlord must answer it (aria-required; the form's intro explains the rest are optional). */
  required: boolean;
  /** Has `offer.<name>.hint`. */
  hint?: boolean;
  /** The hint and errors take this as {max}. */
  max?: number;
  autoComplete?: string;
  inputMode?: 'decimal' | 'numeric' | 'tel' | 'email';
  /** Width of a text input: characters it is made for, so the box hints at the expected answer. */
  width?: 'xs' | 's' | 'm' | 'l' | 'full';
  /** Fields sharing a `row` sit side by side on wide screens. */
  row?: string;
  /** Checkboxes sharing a `group` form one fieldset with the legend `offer.group.<group>`. */
  group?: string;
  /**
   * A structured fact (a choice, a number, a date) that may be repeated in mails to the address
   * the sender typed. Free text and contact data never are: nobody can make the portal mail their
   * own words to a stranger.
   */
  structured: boolean;
  /** Shown as a row of the review and the mails; false when another row shows it. */
  summary: boolean;
  /** The value as a reader sees it; undefined means "not given". */
  show?: (value: unknown, context: ShowContext) => string | undefined;
  /** Fields whose validity depends on this one: checked again when it changes (heating included → costs). */
  revalidates?: readonly string[];
  /** The field's zod schema (input: what JSON or a form post sends; output: the stored value). */
  schema?: (context: SchemaContext) => S;
}

/** Declares a field; keeps its name and schema types, so the offer's type follows from the list. */
export function field<const N extends string, S extends z.core.$ZodType = never>(
  spec: OfferField<N, S>,
): OfferField<N, S> {
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Reading what browsers and scripts send: JSON (typed) and urlencoded form posts (all strings).

const missing = (input: unknown) => input === undefined || input === null;
/** "required" when nothing came, otherwise the given key. */
const requiredOr = (key: OfferErrorKey) => (issue: { input?: unknown }) =>
  missing(issue.input) ? 'offer.error.required' : key;

/** Trims strings; empty strings become "not given". */
export function blankToUndefined(value: unknown): unknown {
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
export function toNumber(value: unknown): unknown {
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
export function toBoolean(value: unknown): unknown {
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

// One formatter for every call (see src/i18n/format.ts on why formatters are reused).
let cologneDay: Intl.DateTimeFormat | undefined;

/** Today in Cologne as YYYY-MM-DD: "available from" may be today, not earlier. */
export function todayInCologne(now = new Date()): string {
  cologneDay ??= new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' });
  return cologneDay.format(now);
}

/** No control characters (line breaks, tabs, NUL) in one-line fields: they end up in mail headers. */
const oneLine = /^[^\u0000-\u001f\u007f]*$/;
/** zod/mini has no preprocess: a transform piped into the schema is the same thing. */
const pre = <T extends z.core.$ZodType<unknown, unknown>>(fn: (value: unknown) => unknown, schema: T) =>
  z.pipe(z.transform(fn), schema);
const asText = (v: unknown) => blankToUndefined(typeof v === 'number' ? String(v) : v);

const twoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;
interface NumberRules {
  min: number;
  max: number;
  integer?: boolean;
  halfSteps?: boolean;
  exclusiveMin?: boolean;
}
const numberSchema = (rules: NumberRules) =>
  z
    .number({ error: requiredOr('offer.error.number') })
    .check(
      rules.exclusiveMin ? z.gt(rules.min, 'offer.error.min') : z.gte(rules.min, 'offer.error.min'),
      z.lte(rules.max, 'offer.error.max'),
      rules.integer
        ? z.multipleOf(1, 'offer.error.integer')
        : rules.halfSteps
          ? z.refine((n: number) => Number.isInteger(n * 2), 'offer.error.halfStep')
          : z.refine(twoDecimals, 'offer.error.decimals'),
    );

// ---------------------------------------------------------------------------------------------
// Schemas of the kinds of answer.

const requiredText = (max: number) =>
  pre(
    blankToUndefined,
    z
      .string({ error: requiredOr('offer.error.invalid') })
      .check(z.maxLength(max, 'offer.error.tooLong'), z.regex(oneLine, 'offer.error.invalid')),
  );
const optionalLongText = (max: number) =>
  pre(
    blankToUndefined,
    z.optional(z.string({ error: 'offer.error.invalid' }).check(z.maxLength(max, 'offer.error.tooLong'))),
  );
const requiredAmount = (rules: NumberRules) => pre(toNumber, numberSchema(rules));
const optionalAmount = (rules: NumberRules) => pre(toNumber, z.optional(numberSchema(rules)));
const tick = () => pre(toBoolean, z.boolean({ error: 'offer.error.invalid' }));
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  pre(blankToUndefined, z.enum(values, { error: 'offer.error.choice' }));

// ---------------------------------------------------------------------------------------------
// How the kinds of answer are asked and shown.

const asString = (value: unknown) => (value === undefined || value === '' ? undefined : String(value));

/** A one-line text box; free text, never repeated to the sender. */
const textBox = (max: number, inputType?: 'text' | 'email' | 'tel' | 'date') => ({
  control: { type: 'text', inputType, maxLength: max } as Control,
  max,
  structured: false,
  summary: true,
  show: asString,
});

/** A text area over several lines; free text, never repeated to the sender. */
const textArea = (max: number, rows: number, counter = false) => ({
  control: { type: 'textarea', maxLength: max, rows, counter } as Control,
  max,
  structured: false,
  summary: true,
  show: asString,
});

/** An amount, a size or a count, typed as text and read the German or English way. */
const numberBox = (format: (n: number, locale: Locale) => string, integer = false) => ({
  control: { type: 'text' } as Control,
  inputMode: integer ? ('numeric' as const) : ('decimal' as const),
  structured: true,
  summary: true,
  show: (value: unknown, { locale }: ShowContext) => (typeof value === 'number' ? format(value, locale) : undefined),
});

/** A yes/no tick box. */
const tickBox = () => ({
  control: { type: 'checkbox' } as Control,
  structured: true,
  summary: true,
  show: (value: unknown, { t }: ShowContext) => t(value === true ? 'offer.review.yes' : 'offer.review.no'),
});

/** Radio buttons; the stored value is the option's key, its words are `offer.<name>.<value>`. */
const radios = (name: string, values: readonly string[]) => ({
  control: {
    type: 'radios',
    options: () => values.map((value) => ({ value, label: (t: Translator) => t(`offer.${name}.${value}`) })),
  } as Control,
  structured: true,
  summary: true,
  show: (value: unknown, { t }: ShowContext) =>
    typeof value === 'string' && values.includes(value) ? t(`offer.${name}.${value}`) : undefined,
});

const money = numberBox(formatMoney);
const people = (n: number, locale: Locale) =>
  locale === 'de' ? `${n} ${n === 1 ? 'Person' : 'Personen'}` : `${n} ${n === 1 ? 'person' : 'people'}`;

// ---------------------------------------------------------------------------------------------
// The fields, in the order of the form.

const landlordTypes = ['private', 'company', 'housing_association'] as const;
const wbsAnswers = ['yes', 'no', 'unknown'] as const;
/** Basement (-1), ground floor (0), then 1 to 30. */
const floors = Array.from({ length: 32 }, (_, i) => i - 1);

export const offerFields = [
  field({
    name: 'landlordType',
    section: 'about',
    required: true,
    ...radios('landlordType', landlordTypes),
    schema: () => oneOf(landlordTypes),
  }),
  field({
    name: 'name',
    section: 'about',
    required: true,
    hint: true,
    autoComplete: 'name',
    ...textBox(120),
    schema: () => requiredText(120),
  }),
  field({
    name: 'email',
    section: 'about',
    required: true,
    hint: true,
    autoComplete: 'email',
    inputMode: 'email',
    ...textBox(254, 'email'),
    schema: () =>
      pre(
        blankToUndefined,
        z.pipe(
          z.string({ error: requiredOr('offer.error.email') }).check(z.maxLength(254, 'offer.error.tooLong')),
          z.email({ error: 'offer.error.email' }),
        ),
      ),
  }),
  field({
    name: 'phone',
    section: 'about',
    required: false,
    hint: true,
    autoComplete: 'tel',
    inputMode: 'tel',
    width: 'm',
    ...textBox(40, 'tel'),
    schema: () =>
      pre(
        blankToUndefined,
        z.optional(
          z.string({ error: 'offer.error.phone' }).check(
            z.maxLength(40, 'offer.error.tooLong'),
            z.regex(/^\+?[0-9][0-9 ()/-]*$/, 'offer.error.phone'),
            z.refine((v: string) => v.replace(/\D/g, '').length >= 5, 'offer.error.phone'),
          ),
        ),
      ),
  }),
  field({
    name: 'contactNotes',
    section: 'about',
    required: false,
    hint: true,
    ...textArea(500, 2),
    schema: () => optionalLongText(500),
  }),

  field({
    name: 'street',
    section: 'apartment',
    required: true,
    autoComplete: 'address-line1',
    row: 'address',
    ...textBox(120),
    // The house number is shown in the same row: "Kalker Hauptstraße 12a".
    show: (value, { offer }) => [asString(value), asString(offer.houseNumber)].filter(Boolean).join(' ') || undefined,
    schema: () => requiredText(120),
  }),
  field({
    name: 'houseNumber',
    section: 'apartment',
    required: true,
    width: 'xs',
    row: 'address',
    ...textBox(10),
    summary: false,
    schema: () =>
      pre(
        asText,
        z
          .string({ error: requiredOr('offer.error.houseNumber') })
          .check(
            z.maxLength(10, 'offer.error.tooLong'),
            z.regex(/^\d{1,4} ?[a-zA-Z]?( ?[-/] ?\d{1,4} ?[a-zA-Z]?)?$/, 'offer.error.houseNumber'),
          ),
      ),
  }),
  field({
    name: 'postalCode',
    section: 'apartment',
    required: true,
    hint: true,
    autoComplete: 'postal-code',
    inputMode: 'numeric',
    width: 'xs',
    ...textBox(5),
    // Five digits from a short list: a structured fact that names no house.
    structured: true,
    // The Stadtteil must lie in this postal code's area: checked again when the code changes.
    revalidates: ['stadtteil'],
    show: (value) => (value === undefined ? undefined : `${String(value)} Köln`),
    schema: () =>
      pre(
        asText,
        z
          .string({ error: requiredOr('offer.error.postalCode') })
          .check(z.refine(isColognePostalCode, 'offer.error.postalCode')),
      ),
  }),
  field({
    name: 'stadtteil',
    section: 'apartment',
    required: true,
    hint: true,
    width: 'l',
    structured: true,
    summary: true,
    show: asString,
    control: {
      type: 'select',
      options: () =>
        stadtbezirke.flatMap((bezirk) =>
          stadtteile
            .filter((s) => s.bezirk === bezirk)
            .map((s) => ({ value: s.name, label: () => s.name, group: bezirk })),
        ),
    },
    // A select: "please choose from the list" also when nothing was chosen.
    schema: () => pre(blankToUndefined, z.enum(stadtteilNames, { error: 'offer.error.stadtteil' })),
  }),
  field({
    name: 'rooms',
    section: 'apartment',
    required: true,
    hint: true,
    width: 'xs',
    row: 'size',
    ...numberBox(formatNumber),
    schema: () => requiredAmount({ min: 1, max: 10, halfSteps: true }),
  }),
  field({
    name: 'livingSpace',
    section: 'apartment',
    required: true,
    width: 'xs',
    row: 'size',
    ...numberBox(formatArea),
    schema: () => requiredAmount({ min: 10, max: 400 }),
  }),
  field({
    name: 'floor',
    section: 'apartment',
    required: true,
    row: 'size',
    structured: true,
    summary: true,
    show: (value, { locale, t }) => (typeof value === 'number' ? formatFloor(value, locale, t) : undefined),
    control: {
      type: 'select',
      options: () =>
        floors.map((floor) => ({ value: String(floor), label: (t, locale) => formatFloor(floor, locale, t) })),
    },
    // A select: "please choose from the list" for anything that is not one of its options.
    schema: () =>
      pre(
        toNumber,
        z
          .number({ error: 'offer.error.floor' })
          .check(z.gte(-1, 'offer.error.floor'), z.lte(30, 'offer.error.floor'), z.multipleOf(1, 'offer.error.floor')),
      ),
  }),
  field({ name: 'lift', section: 'apartment', required: false, group: 'access', ...tickBox(), schema: tick }),
  field({ name: 'stepFree', section: 'apartment', required: false, group: 'access', ...tickBox(), schema: tick }),
  field({
    name: 'availableFrom',
    section: 'apartment',
    required: true,
    hint: true,
    width: 'm',
    control: { type: 'text', inputType: 'date' },
    structured: true,
    summary: true,
    show: (value, { locale }) => (typeof value === 'string' ? formatDate(value, locale) : undefined),
    schema: ({ today }) =>
      pre(
        toIsoDate,
        z.string({ error: requiredOr('offer.error.dateFormat') }).check(
          z.refine(isRealDate, 'offer.error.dateFormat'),
          // Not `abort: true` on the format check: an explicit abort would also stop the
          // object-level rules. A malformed date is simply not judged here.
          z.refine((v: string) => !isRealDate(v) || v >= (today ?? todayInCologne()), 'offer.error.dateInPast'),
        ),
      ),
  }),
  field({
    name: 'wbs',
    section: 'apartment',
    required: true,
    hint: true,
    ...radios('wbs', wbsAnswers),
    schema: () => oneOf(wbsAnswers),
  }),
  field({ name: 'furnished', section: 'apartment', required: false, ...tickBox(), schema: tick }),
  field({
    name: 'maxOccupants',
    section: 'apartment',
    required: true,
    width: 'xs',
    ...numberBox(people, true),
    schema: () => requiredAmount({ min: 1, max: 20, integer: true }),
  }),
  field({
    name: 'description',
    section: 'apartment',
    required: false,
    hint: true,
    ...textArea(2000, 5, true),
    schema: () => optionalLongText(2000),
  }),

  field({
    name: 'coldRent',
    section: 'money',
    required: true,
    width: 's',
    ...money,
    schema: () => requiredAmount({ min: 0, max: 10_000, exclusiveMin: true }),
  }),
  field({
    name: 'serviceCharges',
    section: 'money',
    required: true,
    hint: true,
    width: 's',
    ...money,
    schema: () => requiredAmount({ min: 0, max: 5000 }),
  }),
  field({
    name: 'heatingCosts',
    // Required unless included in the service charges: that rule is in src/schemas/offer.ts.
    section: 'money',
    required: false,
    width: 's',
    ...money,
    show: (value, { offer, locale, t }) => {
      const stated = typeof value === 'number' ? formatMoney(value, locale) : undefined;
      if (offer.heatingIncluded !== true) return stated;
      return stated ? t('offer.heatingCosts.includedStated', { amount: stated }) : t('offer.review.heatingIncluded');
    },
    schema: () => optionalAmount({ min: 0, max: 5000 }),
  }),
  field({
    name: 'heatingIncluded',
    section: 'money',
    required: false,
    ...tickBox(),
    summary: false,
    // Ticking it settles the heating costs' "required" error at once.
    revalidates: ['heatingCosts'],
    schema: tick,
  }),
  field({
    name: 'totalRent',
    section: 'money',
    required: false,
    control: { type: 'total' },
    structured: true,
    summary: true,
    show: (_, { offer, locale }) => {
      const total = totalRent(offer);
      return total === undefined ? undefined : formatMoney(total, locale);
    },
  }),
  field({
    name: 'deposit',
    section: 'money',
    required: true,
    hint: true,
    width: 's',
    ...money,
    schema: () => requiredAmount({ min: 0, max: 30_000 }),
  }),

  field({
    name: 'privacyConsent',
    section: 'consent',
    required: true,
    control: { type: 'checkbox' },
    structured: true,
    summary: false,
    schema: () =>
      pre((v) => (v === undefined ? undefined : toBoolean(v)), z.literal(true, { error: 'offer.error.consent' })),
  }),
] as const;

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

/**
 * What the landlord's confirmation repeats: the apartment's structured facts, never contact data
 * or free text (the address it goes to is not verified; nobody may make the portal mail their own
 * words to a stranger).
 */
export const repeatedToSender = (f: OfferField) =>
  f.structured && f.summary && f.section !== 'about' && f.section !== 'consent';

/** The fields a landlord fills in (the total is computed, not typed). */
export const inputFields = (fields: readonly OfferField[] = offerFields) =>
  fields.filter((f) => f.schema !== undefined);

/** Field names in form order: the error summary lists errors in this order. */
export const fieldOrder = (fields: readonly OfferField[] = offerFields) => inputFields(fields).map((f) => f.name);
