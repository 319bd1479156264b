import * as z from 'zod/mini';
import type { $ZodError } from 'zod/v4/core';
import {
  blankToUndefined,
  inputFields,
  offerErrorKeys,
  offerFields,
  toNumber,
  type OfferErrorKey,
  type OfferField,
  type SchemaContext,
} from './offer-fields.ts';
import { postalCodeFits, stadtteileOf } from '../data/cologne.ts';
import { campaignCodePattern, campaignOf } from './campaign-code.ts';

/**
 * The apartment offer: ONE schema for the form in the browser and the handler on the server,
 * built from the field list in ./offer-fields.ts. Its keys are a public contract (carriers'
 * systems read them in the webhook payload).
 *
 * It reads both shapes an offer arrives in: JSON from the island (numbers and booleans typed)
 * and urlencoded form posts without JavaScript (everything a string, German decimal commas,
 * checkboxes absent when not ticked). Every error message is a translation key
 * (`offer.error.*`); the pages translate it.
 *
 * Written with zod/mini (the same zod 4 core, tree-shakable): the island ships this schema to
 * the browser, and the offer page's JavaScript budget is 100 KB.
 */
export {
  offerErrorKeys,
  offerFields,
  todayInCologne,
  totalRent,
  type OfferErrorKey,
  type OfferField,
} from './offer-fields.ts';

/**
 * Fields that are not questions: who sent it (an id against double sends), in which language,
 * when the form was opened (spam check), and through which campaign the landlord came (the
 * `?via=` of a flyer's address). The browser sets them, the landlord never sees them.
 */
const metaShape = ({ campaigns }: SchemaContext) => ({
  submissionId: z.uuid({ error: 'offer.error.invalid' }),
  locale: z.enum(['de', 'en'], { error: 'offer.error.invalid' }),
  formStartedAt: z.pipe(
    z.transform(toNumber),
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
  // An unknown or malformed code is dropped, not an error: the landlord cannot fix a flyer's
  // address, and the offer counts all the same. It is never stored as free text.
  campaign: z.pipe(
    z.transform((value: unknown) => campaignOf(value, campaigns)),
    z.optional(z.string().check(z.regex(campaignCodePattern))),
  ),
});
/** Meta fields the server keeps to itself: not part of the public payload. */
export const internalFields = ['formStartedAt'] as const;

/** name → schema of every field that has one (the computed total has none). */
type FieldShape = {
  [
    F in (typeof offerFields)[number] as F extends OfferField<infer N, infer S>
      ? [S] extends [never]
        ? never
        : N
      : never
  ]: F extends OfferField<string, infer S> ? S : never;
};
type OfferShape = FieldShape & ReturnType<typeof metaShape>;

/** The fields alone, without the cross-field rules: for derived schemas (the webhook payload). */
export function createOfferObject(options: SchemaContext & { fields?: readonly OfferField[] } = {}) {
  const { fields = offerFields, ...context } = options;
  const shape = Object.fromEntries(inputFields(fields).map((f) => [f.name, f.schema!(context)]));
  return z.strictObject({ ...shape, ...metaShape(context) } as unknown as OfferShape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? 'offer.error.unknownField' : 'offer.error.invalid'),
  });
}

/**
 * Runs a cross-field rule even while other fields are wrong, so the form shows its error
 * together with theirs; not when its own fields (or the body as a whole) are wrong.
 */
const whenFieldsValid =
  (...names: string[]) =>
  (payload: { value: unknown; issues: ReadonlyArray<{ path?: PropertyKey[]; code?: string }> }) =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !Array.isArray(payload.value) &&
    // Raw issues may not carry a path yet (unrecognized keys get theirs later).
    !payload.issues.some((issue) => {
      const field = issue.path?.[0];
      return field === undefined ? issue.code === 'invalid_type' : names.includes(String(field));
    });

/**
 * Builds the schema. `today` (YYYY-MM-DD) is injectable so that tests do not depend on the
 * calendar; by default it is read at each validation.
 */
export function createOfferSchema(options: SchemaContext & { fields?: readonly OfferField[] } = {}) {
  return createOfferObject(options).check(
    z.refine((offer) => offer.heatingIncluded || offer.heatingCosts !== undefined, {
      error: 'offer.error.heatingCosts',
      path: ['heatingCosts'],
      when: whenFieldsValid('heatingCosts', 'heatingIncluded'),
    }),
    // 50667 and Kalk do not go together; the message names the Stadtteile of the postal code.
    z.refine((offer) => postalCodeFits(offer.postalCode, offer.stadtteil), {
      error: 'offer.error.postalCodeStadtteil',
      path: ['stadtteil'],
      when: whenFieldsValid('postalCode', 'stadtteil'),
    }),
  );
}

/** The words a message key may need besides its field: {max} of a text, {stadtteile} of a postal code. */
export function errorParams(field: OfferField | undefined, values: Readonly<Record<string, unknown>>) {
  return {
    max: field?.max ?? '',
    postalCode: String(values.postalCode ?? ''),
    stadtteile: stadtteileOf(String(values.postalCode ?? '')).join(', '),
  };
}

/** The schema with today's date in Cologne; what the island uses. */
export const offerSchema = createOfferSchema();
export type OfferInput = z.input<typeof offerSchema>;
export type Offer = z.output<typeof offerSchema>;

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

export { blankToUndefined };
