import { totalRent, type Offer } from '../schemas/offer.ts';

/**
 * Formatting of offer values for the mails, and the offer as labelled rows in groups. The HTML
 * table and the plain-text part are both built from `offerGroups`, so both carry the same facts.
 */
export type MailLocale = 'de' | 'en';

/**
 * Collapses every run of whitespace and control characters (CR, LF, tab, C0/C1 controls, DEL,
 * line/paragraph separators) to a single space and trims. For mail headers and single-line values.
 */
export function oneLine(value: unknown): string {
  return String(value ?? '')
    .replace(/[\s\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ')
    .trim();
}

/** A subject line safe for a mail header: one line, at most `max` characters (not split inside a surrogate pair). */
export function headerSafe(value: string, max = 200): string {
  const chars = Array.from(oneLine(value));
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** Multi-line user text with normalised line breaks ("\r\n" and lone "\r" become "\n"), other control characters removed. */
export function multiLine(value: unknown): string {
  return String(value ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, ' ')
    .trim();
}

const decimal = (locale: MailLocale, min: number, max: number) =>
  new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    minimumFractionDigits: min,
    maximumFractionDigits: max,
  });

/** 650 → "650,00 €" / "€650.00"; 1250.5 → "1.250,50 €" / "€1,250.50". */
export function formatMoney(amount: number, locale: MailLocale): string {
  const n = decimal(locale, 2, 2).format(amount);
  return locale === 'de' ? `${n} €` : `€${n}`;
}

/** 2.5 → "2,5" / "2.5"; 62 → "62". */
export function formatNumber(value: number, locale: MailLocale): string {
  return decimal(locale, 0, 2).format(value);
}

export function formatArea(value: number, locale: MailLocale): string {
  return `${formatNumber(value, locale)} m²`;
}

/** "2027-03-01" → "01.03.2027" / "1 March 2027". Anything that is not such a date is returned as it is. */
export function formatDate(iso: string, locale: MailLocale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return oneLine(iso);
  if (locale === 'de') return `${m[3]}.${m[2]}.${m[1]}`;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    date,
  );
}

/** An ISO timestamp as date and time in Cologne: { date: "01.03.2027", time: "14:05" }. */
export function formatTimestamp(iso: string, locale: MailLocale): { date: string; time: string } | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const parts = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'Europe/Berlin', ...options }).format(
      date,
    );
  return {
    date:
      locale === 'de'
        ? parts({ day: '2-digit', month: '2-digit', year: 'numeric' })
        : parts({ day: 'numeric', month: 'long', year: 'numeric' }),
    time: parts({ hour: '2-digit', minute: '2-digit', hour12: false }),
  };
}

/** "01.03.2027, 14:05 Uhr" / "1 March 2027, 14:05"; the raw value if it is not a timestamp. */
export function formatDateTime(iso: string, locale: MailLocale): string {
  const t = formatTimestamp(iso, locale);
  if (!t) return oneLine(iso);
  return locale === 'de' ? `${t.date}, ${t.time} Uhr` : `${t.date}, ${t.time}`;
}

/** -1 → "Untergeschoss", 0 → "Erdgeschoss", 2 → "2. Obergeschoss" (the same words the form offers). */
export function formatFloor(floor: number, locale: MailLocale): string {
  if (locale === 'de') return floor < 0 ? 'Untergeschoss' : floor === 0 ? 'Erdgeschoss' : `${floor}. Obergeschoss`;
  return floor < 0 ? 'Basement' : floor === 0 ? 'Ground floor' : `${floor}${ordinalSuffix(floor)} floor`;
}

/** 1 → "st", 2 → "nd", 3 → "rd", 11 → "th", 22 → "nd". */
function ordinalSuffix(n: number): string {
  const suffixes: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };
  return suffixes[new Intl.PluralRules('en-GB', { type: 'ordinal' }).select(n)] ?? 'th';
}

export const yesNo = (value: boolean, locale: MailLocale) =>
  locale === 'de' ? (value ? 'Ja' : 'Nein') : value ? 'Yes' : 'No';

const landlordTypes: Record<MailLocale, Record<Offer['landlordType'], string>> = {
  de: {
    private: 'Privatperson',
    company: 'Unternehmen',
    housing_association: 'Wohnungsbaugesellschaft oder Wohnungsgenossenschaft',
  },
  en: { private: 'Private person', company: 'Company', housing_association: 'Housing company or housing cooperative' },
};
const wbsWords: Record<MailLocale, Record<Offer['wbs'], string>> = {
  de: { yes: 'Ja', no: 'Nein', unknown: 'Unbekannt' },
  en: { yes: 'Yes', no: 'No', unknown: 'Not known' },
};

export const formatLandlordType = (type: Offer['landlordType'], locale: MailLocale) =>
  landlordTypes[locale][type] ?? oneLine(type);
export const formatWbs = (wbs: Offer['wbs'], locale: MailLocale) => wbsWords[locale][wbs] ?? oneLine(wbs);

export function formatOccupants(n: number, locale: MailLocale): string {
  if (locale === 'de') return `${n} ${n === 1 ? 'Person' : 'Personen'}`;
  return `${n} ${n === 1 ? 'person' : 'people'}`;
}

/** One line of the offer table. `multiline` values keep their line breaks; `href` makes the value a link. */
export interface Row {
  label: string;
  value: string;
  multiline?: boolean;
  nowrap?: boolean;
  href?: string;
  /** "keine Angabe": shown muted. */
  empty?: boolean;
}
export interface Group {
  title: string;
  rows: Row[];
}

const labels = {
  de: {
    process: 'Vorgang',
    reference: 'Vorgangsnummer',
    receivedAt: 'Eingegangen',
    locale: 'Sprache des Formulars',
    privacyConsent: 'Einwilligung Datenschutz',
    consentGiven: 'erteilt',
    submissionId: 'Formular-ID',
    landlord: 'Vermieter*in',
    landlordSelf: 'Über Sie',
    landlordType: 'Vermietet als',
    name: 'Name',
    email: 'E-Mail',
    phone: 'Telefon',
    contactNotes: 'Erreichbarkeit',
    apartment: 'Wohnung',
    address: 'Adresse',
    stadtteil: 'Stadtteil',
    stadtbezirk: 'Stadtbezirk',
    rooms: 'Zimmer',
    livingSpace: 'Wohnfläche',
    floor: 'Stockwerk',
    lift: 'Aufzug',
    stepFree: 'Stufenlos erreichbar',
    availableFrom: 'Frei ab',
    wbs: 'Wohnberechtigungsschein (WBS) nötig',
    furnished: 'Möbliert',
    maxOccupants: 'Geeignet für',
    description: 'Beschreibung',
    money: 'Miete und Kaution',
    coldRent: 'Kaltmiete pro Monat',
    serviceCharges: 'Nebenkosten pro Monat',
    heatingCosts: 'Heizkosten pro Monat',
    heatingIncluded: 'in den Nebenkosten enthalten',
    heatingStated: 'angegeben',
    total: 'Gesamtmiete pro Monat',
    deposit: 'Kaution',
    none: 'keine Angabe',
    city: 'Köln',
    languages: { de: 'Deutsch', en: 'Englisch' },
  },
  en: {
    process: 'Reference',
    reference: 'Reference number',
    receivedAt: 'Received',
    locale: 'Form language',
    privacyConsent: 'Privacy consent',
    consentGiven: 'given',
    submissionId: 'Form ID',
    landlord: 'Landlord',
    landlordSelf: 'About you',
    landlordType: 'Letting as',
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
    contactNotes: 'How to reach you',
    apartment: 'The apartment',
    address: 'Address',
    stadtteil: 'Quarter (Stadtteil)',
    stadtbezirk: 'District (Stadtbezirk)',
    rooms: 'Rooms',
    livingSpace: 'Living space',
    floor: 'Floor',
    lift: 'Lift',
    stepFree: 'Step-free access',
    availableFrom: 'Available from',
    wbs: 'Housing entitlement certificate (WBS) required',
    furnished: 'Furnished',
    maxOccupants: 'Suitable for',
    description: 'Description',
    money: 'Rent and deposit',
    coldRent: 'Base rent per month',
    serviceCharges: 'Service charges per month',
    heatingCosts: 'Heating costs per month',
    heatingIncluded: 'included in the service charges',
    heatingStated: 'stated',
    total: 'Total rent per month',
    deposit: 'Deposit',
    none: 'not given',
    city: 'Köln',
    languages: { de: 'German', en: 'English' },
  },
} as const;

export interface GroupOptions {
  locale: MailLocale;
  stadtbezirk?: string;
  /**
   * Staff mails add the group "Vorgang" (reference, time received, form language, consent, form
   * ID) and call the first group "Vermieter*in"; the landlord's own copy calls it "Über Sie".
   */
  process?: { reference: string; receivedAt: string };
}

/** The whole offer as labelled, formatted rows in groups: the table of both mails and the lines of the text part. */
export function offerGroups(offer: Offer, { locale, stadtbezirk, process }: GroupOptions): Group[] {
  const l = labels[locale];
  const optional = (label: string, value: string | undefined, extra: Partial<Row> = {}): Row =>
    value === undefined || value.trim() === '' ? { label, value: l.none, empty: true } : { label, value, ...extra };
  const money = (label: string, amount: number): Row => ({ label, value: formatMoney(amount, locale), nowrap: true });

  let heating: Row;
  if (offer.heatingIncluded) {
    const stated =
      offer.heatingCosts === undefined ? '' : ` (${l.heatingStated}: ${formatMoney(offer.heatingCosts, locale)})`;
    heating = { label: l.heatingCosts, value: `${l.heatingIncluded}${stated}` };
  } else {
    heating =
      offer.heatingCosts === undefined
        ? { label: l.heatingCosts, value: l.none, empty: true }
        : money(l.heatingCosts, offer.heatingCosts);
  }
  const total = totalRent(offer);

  const groups: Group[] = [];
  if (process) {
    groups.push({
      title: l.process,
      rows: [
        { label: l.reference, value: oneLine(process.reference), nowrap: true },
        { label: l.receivedAt, value: formatDateTime(process.receivedAt, locale) },
        { label: l.locale, value: (l.languages as Record<string, string>)[offer.locale] ?? oneLine(offer.locale) },
        { label: l.privacyConsent, value: offer.privacyConsent === true ? l.consentGiven : yesNo(false, locale) },
        { label: l.submissionId, value: oneLine(offer.submissionId) },
      ],
    });
  }
  groups.push(
    {
      title: process ? l.landlord : l.landlordSelf,
      rows: [
        { label: l.landlordType, value: formatLandlordType(offer.landlordType, locale) },
        { label: l.name, value: oneLine(offer.name) },
        { label: l.email, value: oneLine(offer.email), href: `mailto:${oneLine(offer.email)}` },
        optional(l.phone, offer.phone === undefined ? undefined : oneLine(offer.phone), {
          href: offer.phone ? telHref(offer.phone) : undefined,
          nowrap: true,
        }),
        optional(l.contactNotes, offer.contactNotes === undefined ? undefined : multiLine(offer.contactNotes), {
          multiline: true,
        }),
      ],
    },
    {
      title: l.apartment,
      rows: [
        {
          label: l.address,
          value: `${oneLine(offer.street)} ${oneLine(offer.houseNumber)}, ${oneLine(offer.postalCode)} ${l.city}`,
        },
        { label: l.stadtteil, value: oneLine(offer.stadtteil) },
        ...(stadtbezirk ? [{ label: l.stadtbezirk, value: oneLine(stadtbezirk) }] : []),
        { label: l.rooms, value: formatNumber(offer.rooms, locale) },
        { label: l.livingSpace, value: formatArea(offer.livingSpace, locale), nowrap: true },
        { label: l.floor, value: formatFloor(offer.floor, locale) },
        { label: l.lift, value: yesNo(offer.lift, locale) },
        { label: l.stepFree, value: yesNo(offer.stepFree, locale) },
        { label: l.availableFrom, value: formatDate(offer.availableFrom, locale), nowrap: true },
        { label: l.wbs, value: formatWbs(offer.wbs, locale) },
        { label: l.furnished, value: yesNo(offer.furnished, locale) },
        { label: l.maxOccupants, value: formatOccupants(offer.maxOccupants, locale) },
        optional(l.description, offer.description === undefined ? undefined : multiLine(offer.description), {
          multiline: true,
        }),
      ],
    },
    {
      title: l.money,
      rows: [
        money(l.coldRent, offer.coldRent),
        money(l.serviceCharges, offer.serviceCharges),
        heating,
        ...(total === undefined ? [] : [money(l.total, total)]),
        money(l.deposit, offer.deposit),
      ],
    },
  );
  return groups;
}

/** "0221 123456" → "tel:0221123456": digits and a leading plus only. */
export function telHref(phone: string): string {
  const trimmed = phone.trim();
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
}
