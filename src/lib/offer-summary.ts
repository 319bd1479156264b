import { offerFields, offerSections, type OfferField, type OfferSection } from '../schemas/offer-fields.ts';
import type { Locale } from '../i18n/routes.ts';
import type { Translator } from '../i18n/translate.ts';

/**
 * The offer as labelled rows in sections, from the field list: what the review ("check your
 * answers") shows with its change links, and what the mails show as tables and text lines.
 */
export interface SummaryRow {
  /** The field the row belongs to (the review's change link goes there). */
  name: string;
  label: string;
  /** Undefined: not given. */
  value: string | undefined;
  /** Keeps its line breaks (free text over several lines). */
  multiline: boolean;
}

export interface SummarySection {
  section: OfferSection;
  rows: SummaryRow[];
}

export interface SummaryOptions {
  locale: Locale;
  t: Translator;
  fields?: readonly OfferField[];
  /** Which fields to show; all rows of the field list by default. */
  include?: (field: OfferField) => boolean;
}

export function summarize(offer: Readonly<Record<string, unknown>>, options: SummaryOptions): SummarySection[] {
  const { locale, t, fields = offerFields, include = () => true } = options;
  return offerSections
    .map((section) => ({
      section,
      rows: fields
        .filter((f) => f.section === section && f.summary && include(f))
        .map((f) => ({
          name: f.name,
          label: t(`offer.${f.name}.summary`),
          value: (f.show ?? ((v: unknown) => (v === undefined ? undefined : String(v))))(offer[f.name], {
            offer,
            locale,
            t,
          }),
          multiline: f.control.type === 'textarea',
        })),
    }))
    .filter((s) => s.rows.length > 0);
}
