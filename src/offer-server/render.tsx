import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderToString } from 'react-dom/server';
import OfferForm, { type Mode } from '../components/offer/OfferForm.tsx';
import { offerFormProps } from '../components/offer/props.ts';
import { ui, type Locale } from '../i18n/index.ts';

/**
 * Server-side answers to form posts without JavaScript. They are the built offer page itself
 * (`dist/angebot/index.html`, `dist/en/offer/index.html`) with the island's region replaced by
 * the same OfferForm component rendered with what the landlord typed and the errors found: no
 * second copy of the markup. The replaced region is plain HTML, not an island, so a browser with
 * JavaScript does not hydrate over the typed values; it simply posts again.
 *
 * The server loads it through functions/lib/tsx.ts (esbuild), because Node runs TypeScript but
 * not JSX.
 */
const start = '<!--offer-form-->';
const end = '<!--/offer-form-->';
const offerPages: Record<Locale, string> = { de: 'angebot/index.html', en: 'en/offer/index.html' };

export interface RenderOptions {
  distDir: string;
  coordinatorEmail: string;
}

export function createOfferRenderer({ distDir, coordinatorEmail }: RenderOptions) {
  const templates = Object.fromEntries(
    (Object.keys(offerPages) as Locale[]).map((locale) => {
      const html = readFileSync(join(distDir, offerPages[locale]), 'utf8');
      const from = html.indexOf(start);
      const to = html.indexOf(end);
      if (from < 0 || to < from) throw new Error(`${offerPages[locale]} has no offer-form markers: rebuild the site`);
      return [locale, { before: html.slice(0, from), after: html.slice(to + end.length) }];
    }),
  ) as Record<Locale, { before: string; after: string }>;

  function page(
    locale: Locale,
    mode: Mode,
    values: Record<string, string>,
    errors: Record<string, string>,
    extra: { reference?: string; focus?: string; title?: string; notice?: string } = {},
  ) {
    const body = renderToString(
      <OfferForm
        {...offerFormProps(locale, coordinatorEmail)}
        initial={{ mode, values, errors, reference: extra.reference, focus: extra.focus }}
      />,
    );
    const notice = extra.notice ? `<p role="alert" class="notice-error mb-6">${escapeHtml(extra.notice)}</p>` : '';
    let { before } = templates[locale];
    if (extra.title) {
      before = before.replace(
        /<title>([^<]*)<\/title>/,
        (_, old: string) => `<title>${escapeHtml(extra.title!)} – ${old.split(' – ').pop()}</title>`,
      );
    }
    // The confirmation and the review are answers, not pages to index.
    before = before.replace('<head>', '<head><meta name="robots" content="noindex">');
    return `${before}${notice}${body}${templates[locale].after}`;
  }

  const t = (locale: Locale, key: string) => (ui[locale] as Record<string, string>)[key] ?? key;
  const errorTitle = (locale: Locale) => t(locale, 'offer.errorSummary.title');

  return {
    formPage: (locale: Locale, values: Record<string, string>, errors: Record<string, string>, focus?: string) =>
      page(locale, 'edit', values, errors, {
        focus,
        title: Object.keys(errors).length
          ? `${locale === 'de' ? 'Fehler' : 'Error'}: ${errorTitle(locale)}`
          : undefined,
      }),
    reviewPage: (locale: Locale, values: Record<string, string>) =>
      page(locale, 'review', values, {}, { title: t(locale, 'offer.review.title') }),
    confirmationPage: (locale: Locale, reference: string) =>
      page(locale, 'done', {}, {}, { reference, title: t(locale, 'offer.confirmation.title') }),
    unavailablePage: (locale: Locale, values: Record<string, string>) =>
      page(
        locale,
        'review',
        values,
        {},
        { title: t(locale, 'offer.unavailable.title'), notice: t(locale, 'offer.send.failed') },
      ),
  };
}

export type OfferRenderer = ReturnType<typeof createOfferRenderer>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
