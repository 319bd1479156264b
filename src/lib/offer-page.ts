import type { AstroGlobal } from 'astro';
import { confirmationPaths, useTranslations, type Locale } from '../i18n/index.ts';
import type { Mode } from '../components/offer/OfferForm.tsx';
import { portalOf } from './portal.ts';
import { normalizeReference } from '../../functions/offers/reference.ts';
import { campaignOf } from '../schemas/campaign-code.ts';

/**
 * What the offer page shows: the empty form (GET), or its answer to a form post without
 * JavaScript (POST to the page itself): the form again with the errors and every value typed,
 * the review, a notice, or a redirect to the confirmation (303, so a reload sends nothing twice).
 */
export type OfferPageState =
  /** `campaign`: the known code of the address (`?via=`) the landlord came by. */
  | { kind: 'form'; campaign?: string }
  | {
      kind: 'answer';
      mode: Exclude<Mode, 'done'>;
      values: Record<string, string>;
      errors: Record<string, string>;
      focus?: string;
      notice?: string;
      /** Goes before the page title, e.g. "Fehler: Bitte prüfen Sie Ihre Angaben". */
      title?: string;
    }
  | { kind: 'conflict'; reference: string };

export async function offerPageState(Astro: AstroGlobal, locale: Locale): Promise<OfferPageState | Response> {
  if (Astro.request.method === 'GET' || Astro.request.method === 'HEAD') {
    // A flyer's QR code leads to /angebot/?via=<code>. A code that is not on the coordination
    // office's list is ignored: the form is the same, the offer just counts for no campaign.
    const campaign = campaignOf(Astro.url.searchParams.get('via'), portalOf(Astro.locals).campaigns);
    return campaign ? { kind: 'form', campaign } : { kind: 'form' };
  }
  const t = useTranslations(locale);
  const portal = portalOf(Astro.locals);
  const outcome = await portal.intake.form(Astro.request, { ip: portal.clientAddress }, locale);
  switch (outcome.kind) {
    case 'stored':
      return Astro.redirect(`${confirmationPaths[outcome.locale]}?ref=${encodeURIComponent(outcome.reference)}`, 303);
    case 'edit': {
      Astro.response.status = outcome.status;
      const failed = Object.keys(outcome.errors).length > 0;
      return {
        kind: 'answer',
        mode: 'edit',
        values: outcome.values,
        errors: outcome.errors,
        focus: outcome.focus,
        title: failed
          ? `${t('offer.errorPrefix').trim().replace(/:$/, '')}: ${t('offer.errorSummary.title')}`
          : undefined,
      };
    }
    case 'review':
      return { kind: 'answer', mode: 'review', values: outcome.values, errors: {}, title: t('offer.review.title') };
    case 'conflict':
      Astro.response.status = 409;
      return { kind: 'conflict', reference: outcome.reference };
    case 'unavailable':
      Astro.response.status = 503;
      Astro.response.headers.set('Retry-After', '30');
      return {
        kind: 'answer',
        mode: 'review',
        values: outcome.values,
        errors: {},
        notice: t('offer.send.failed'),
        title: t('offer.unavailable.title'),
      };
    case 'rate_limited':
      Astro.response.status = 429;
      Astro.response.headers.set('Retry-After', String(outcome.retryAfterSeconds));
      return {
        kind: 'answer',
        mode: 'edit',
        values: outcome.values,
        errors: {},
        notice: t('offer.send.rateLimited', { minutes: Math.max(1, Math.ceil(outcome.retryAfterSeconds / 60)) }),
      };
    case 'refused':
      // Not a post from our page (another site, a wrong format, too large): nothing to show again.
      Astro.response.status = outcome.refusal.status;
      return { kind: 'answer', mode: 'edit', values: {}, errors: {}, notice: t('offer.send.failed') };
  }
}

/**
 * The reference of the confirmation page's `?ref=`, if such an offer exists; otherwise the page
 * answers 404 (a guessed or mistyped number reveals nothing). Looked up in the page, before any
 * byte is sent, so that a storage failure becomes a 500 page.
 */
export async function findConfirmation(Astro: AstroGlobal): Promise<string | undefined> {
  const reference = normalizeReference(Astro.url.searchParams.get('ref') ?? '');
  const found = reference ? await portalOf(Astro.locals).store.findByReference(reference) : undefined;
  if (!found) Astro.response.status = 404;
  return found?.reference;
}
