import { toBoolean, toNumber } from '../schemas/offer-fields.ts';
import type { Settings } from '../schemas/settings.ts';
import { formatDate, formatMoney } from '../i18n/format.ts';
import type { Locale } from '../i18n/routes.ts';
import type { Translator } from '../i18n/translate.ts';

/**
 * The rent check: the offer's gross cold rent (Bruttokaltmiete: base rent plus service charges,
 * without heating) against the limit the authorities accept for the number of people the
 * apartment suits (Angemessenheitsgrenze der Kosten der Unterkunft, `rentLimits` in
 * content/settings.yaml). A hint for the landlord and the staff, never a decision: the form does
 * not stop for it, and nobody is promised anything.
 *
 * One pure function for the island (live, while typing), the review (with and without
 * JavaScript) and the staff mail, so that all three always say the same. No zod here: the island
 * ships this file.
 */

/** The limits as the check needs them: only while published, only the rents, with date and source. */
export interface RentLimitTable {
  /** The date the values apply from (YYYY-MM-DD): shown as "Stand". */
  validFrom: string;
  source: string;
  /** Gross cold rent limit per household size (euros per month). */
  rows: ReadonlyArray<{ persons: number; maxGrossColdRent: number }>;
  /** Added to the last row's limit for each further person. */
  perFurtherPerson?: number;
}

/**
 * The table from the settings, or undefined while the city has not published current values:
 * then there is no check, no hint, no word about it anywhere.
 */
export function publishedRentLimits(rentLimits: Settings['rentLimits']): RentLimitTable | undefined {
  if (!rentLimits?.published) return undefined;
  return {
    validFrom: rentLimits.validFrom.toISOString().slice(0, 10),
    source: rentLimits.source,
    rows: [...rentLimits.rows]
      .sort((a, b) => a.persons - b.persons)
      .map(({ persons, maxGrossColdRent }) => ({ persons, maxGrossColdRent })),
    perFurtherPerson: rentLimits.perFurtherPerson?.grossColdRent,
  };
}

/**
 * The limit for a household: its row, or for more people than the table lists the last row plus
 * the amount per further person. Undefined where the table says nothing (a gap, fewer people than
 * its first row, more than its last without an amount per further person).
 */
export function rentLimitFor(table: RentLimitTable, persons: number): number | undefined {
  const row = table.rows.find((r) => r.persons === persons);
  if (row) return row.maxGrossColdRent;
  const last = table.rows.at(-1);
  if (!last || persons < last.persons || table.perFurtherPerson === undefined) return undefined;
  return cents(last.maxGrossColdRent + (persons - last.persons) * table.perFurtherPerson);
}

export interface RentCheck {
  /** The number of people the apartment suits (the offer's `maxOccupants`). */
  persons: number;
  /** Base rent plus service charges, without heating. */
  grossColdRent: number;
  limit: number;
  /** Euros above the limit; 0 when within it (exactly at the limit is within). */
  over: number;
  /**
   * The service charges include heating and its amount is not stated: the gross cold rent above
   * includes heating, so the true one is lower.
   */
  heatingUnknown: boolean;
  validFrom: string;
  source: string;
}

/** What the check reads: the form's values as typed (strings) or the offer as the schema read it. */
export interface RentFacts {
  coldRent?: unknown;
  serviceCharges?: unknown;
  heatingCosts?: unknown;
  heatingIncluded?: unknown;
  maxOccupants?: unknown;
}

const cents = (n: number) => Math.round(n * 100) / 100;
const amount = (value: unknown) => {
  const n = toNumber(value);
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * The verdict, or undefined when there is nothing to compare yet (limits not published, base rent,
 * service charges or number of people missing or unreadable, no limit for that many people).
 */
export function checkRent(table: RentLimitTable | undefined, facts: RentFacts): RentCheck | undefined {
  if (!table) return undefined;
  const coldRent = amount(facts.coldRent);
  const serviceCharges = amount(facts.serviceCharges);
  const persons = toNumber(facts.maxOccupants);
  if (!coldRent || serviceCharges === undefined) return undefined;
  if (typeof persons !== 'number' || !Number.isInteger(persons) || persons < 1) return undefined;
  const limit = rentLimitFor(table, persons);
  if (limit === undefined) return undefined;
  // Heating never counts. Included in the service charges, it comes off them when its amount is stated.
  const included = toBoolean(facts.heatingIncluded) === true;
  const heating = included ? amount(facts.heatingCosts) : undefined;
  const grossColdRent = cents(coldRent + Math.max(0, serviceCharges - (heating ?? 0)));
  return {
    persons,
    grossColdRent,
    limit,
    over: cents(Math.max(0, grossColdRent - limit)),
    heatingUnknown: included && heating === undefined,
    validFrom: table.validFrom,
    source: table.source,
  };
}

/** The check's numbers in words, for any of its sentences (`offer.rentCheck.*`, `mail.staff.rentCheck.*`). */
export function rentCheckParams(check: RentCheck, t: Translator, locale: Locale) {
  return {
    gross: formatMoney(check.grossColdRent, locale),
    limit: formatMoney(check.limit, locale),
    over: formatMoney(check.over, locale),
    persons:
      check.persons === 1 ? t('offer.rentCheck.personsOne') : t('offer.rentCheck.persons', { count: check.persons }),
    date: formatDate(check.validFrom, locale),
    source: check.source,
  };
}

/** The landlord's hint (form and review): what it says, and the short line a screen reader announces. */
export function rentCheckHint(check: RentCheck, t: Translator, locale: Locale) {
  const params = rentCheckParams(check, t, locale);
  const above = check.over > 0;
  return {
    title: t('offer.rentCheck.title'),
    verdict: t(above ? 'offer.rentCheck.above' : 'offer.rentCheck.within', params),
    heating: check.heatingUnknown ? t('offer.rentCheck.heatingUnknown') : undefined,
    note: t(above ? 'offer.rentCheck.aboveNote' : 'offer.rentCheck.withinNote'),
    source: t('offer.rentCheck.source', params),
    announcement: t(above ? 'offer.rentCheck.announceAbove' : 'offer.rentCheck.announceWithin', params),
  };
}
