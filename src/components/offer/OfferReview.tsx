import type { ReactNode } from 'react';
import type { Locale } from '../../i18n/routes.ts';
import type { Translator } from '../../i18n/translate.ts';
import { summarize } from '../../lib/offer-summary.ts';
import type { OfferField } from '../../schemas/offer-fields.ts';

/**
 * "Check your answers": every answer as a row (label and value as the mails show them), each with
 * a way back to its field. With JavaScript the change buttons jump to the field; without, the
 * whole form comes back (intent=edit:<field>) with that field focused.
 */
export function OfferReview({
  t,
  locale,
  offer,
  fields,
  onChange,
  notes = {},
}: {
  t: Translator;
  locale: Locale;
  /** The offer as the schema read it (numbers, booleans, ISO dates). */
  offer: Readonly<Record<string, unknown>>;
  fields?: readonly OfferField[];
  onChange?: (field: string) => void;
  /** Shown below a section's answers (the rent check below the money). */
  notes?: Readonly<Record<string, ReactNode>>;
}) {
  const sections = summarize(offer, { locale, t, fields });
  return (
    <>
      {sections.map(({ section, rows }) => (
        <section key={section} aria-labelledby={`review-${section}`}>
          <h3 id={`review-${section}`} className="mt-8 text-xl">
            {t(`offer.section.${section}`)}
          </h3>
          <dl className="summary-list mt-3">
            {rows.map((row) => (
              <div key={row.name} className="summary-row">
                <dt className="font-bold">{row.label}</dt>
                <dd
                  className={
                    row.multiline ? 'whitespace-pre-line [overflow-wrap:anywhere]' : '[overflow-wrap:anywhere]'
                  }
                >
                  {row.value ?? t('offer.review.none')}
                </dd>
                <dd>
                  {row.name === 'totalRent' ? null : onChange ? (
                    <button type="button" className="link-button" onClick={() => onChange(row.name)}>
                      {t('offer.button.change')}
                      <span className="sr-only">: {row.label}</span>
                    </button>
                  ) : (
                    <button type="submit" name="intent" value={`edit:${row.name}`} className="link-button">
                      {t('offer.button.change')}
                      <span className="sr-only">: {row.label}</span>
                    </button>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          {notes[section]}
        </section>
      ))}
    </>
  );
}
