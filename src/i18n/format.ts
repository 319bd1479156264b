import type { Locale } from './routes.ts';
import type { Translator } from './translate.ts';

/**
 * How numbers, money, dates and floors are written, in German (de-DE) and British English
 * (en-GB): one module for the site, the offer form, its review and the mails. Dates are
 * Cologne's calendar dates; times are Cologne time.
 */
export const intlLocale = (locale: Locale) => (locale === 'de' ? 'de-DE' : 'en-GB');
const cologne = 'Europe/Berlin';

// Formatters are built once per locale and options and then reused: each new Intl formatter holds
// ~32 KB of ICU memory outside the JavaScript heap until a full GC (bench/README.md, "Memory"),
// and building one costs more CPU than the formatting. A handful of keys ever exist.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter;
}
const dateFormat = (locale: Locale, options: Intl.DateTimeFormatOptions) =>
  cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(intlLocale(locale), options));

const decimal = (locale: Locale, min: number, max: number) =>
  cached(
    `n|${locale}|${min}|${max}`,
    () => new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: min, maximumFractionDigits: max }),
  );

/** 650 → "650,00 €" / "€650.00"; 1250.5 → "1.250,50 €" / "€1,250.50". */
export function formatMoney(amount: number, locale: Locale): string {
  const n = decimal(locale, 2, 2).format(amount);
  return locale === 'de' ? `${n} €` : `€${n}`;
}

/** 2.5 → "2,5" / "2.5"; 62 → "62". */
export function formatNumber(value: number, locale: Locale): string {
  return decimal(locale, 0, 2).format(value);
}

/** 62 → "62 m²". */
export function formatArea(value: number, locale: Locale): string {
  return `${formatNumber(value, locale)} m²`;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date: "01.03.2027" / "1 March 2027" (never "01/03/2027", which half the English-
 * speaking world reads as 3 January). Takes "YYYY-MM-DD" or a Date (read in Cologne); anything
 * else is returned as it came.
 */
export function formatDate(value: string | Date, locale: Locale): string {
  let date: Date;
  let timeZone = cologne;
  if (typeof value === 'string') {
    const m = isoDate.exec(value);
    if (!m) return value;
    // A calendar date has no time zone: read and write it in UTC so that it never shifts a day.
    date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    timeZone = 'UTC';
  } else {
    date = value;
  }
  if (Number.isNaN(date.getTime())) return String(value);
  const options: Intl.DateTimeFormatOptions =
    locale === 'de'
      ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone }
      : { day: 'numeric', month: 'long', year: 'numeric', timeZone };
  return dateFormat(locale, options).format(date);
}

/** An instant as date and time in Cologne: { date: "01.03.2027", time: "14:05" }; undefined if unreadable. */
export function formatTimestamp(iso: string, locale: Locale): { date: string; time: string } | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return {
    date: formatDate(date, locale),
    time: dateFormat(locale, { timeZone: cologne, hour: '2-digit', minute: '2-digit', hour12: false }).format(date),
  };
}

/** "01.03.2027, 14:05 Uhr" / "1 March 2027, 14:05"; the raw value if it is not a timestamp. */
export function formatDateTime(iso: string, locale: Locale): string {
  const t = formatTimestamp(iso, locale);
  if (!t) return iso;
  return locale === 'de' ? `${t.date}, ${t.time} Uhr` : `${t.date}, ${t.time}`;
}

/** 1 → "1st", 2 → "2nd", 3 → "3rd", 11 → "11th", 22 → "22nd". */
function englishOrdinal(n: number): string {
  const suffixes: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };
  return `${n}${suffixes[new Intl.PluralRules('en-GB', { type: 'ordinal' }).select(n)] ?? 'th'}`;
}

/** -1 → "Untergeschoss", 0 → "Erdgeschoss", 2 → "2. Obergeschoss" / "2nd floor": the form's own words. */
export function formatFloor(floor: number, locale: Locale, t: Translator): string {
  if (floor < 0) return t('offer.floor.basement');
  if (floor === 0) return t('offer.floor.ground');
  return t('offer.floor.upper', { floor: locale === 'en' ? englishOrdinal(floor) : String(floor) });
}
