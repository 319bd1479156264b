import { useTranslations } from '../../src/i18n/index.ts';
import { formatDateTime, formatNumber } from '../../src/i18n/format.ts';
import type { HeldOffer } from '../storage/types.ts';
import { layout, p, tables } from './layout.ts';
import { heading, paragraphs, rowsText } from './text.ts';
import type { RenderedMail } from './types.ts';

/**
 * The coordinator's daily note while offers are held as suspected spam: which ones, why, and how
 * to release one. Reference, time, reason, Stadtteil and rooms only: no personal data in a mail
 * that goes out without anyone asking for it.
 */
export function renderHeldDigest(held: readonly HeldOffer[], retentionDays: number): RenderedMail {
  const t = useTranslations('de');
  const subject = t('mail.held.subject', { count: held.length });
  const intro = t('mail.held.intro', { count: held.length, days: retentionDays });
  const groups = held.map((h) => ({
    title: h.reference,
    rows: [
      { label: t('mail.staff.receivedAt'), value: formatDateTime(h.receivedAt, 'de') },
      {
        label: t('mail.held.reason'),
        value: t(`mail.held.reason.${h.reason === 'honeypot' ? 'honeypot' : 'tooFast'}`),
      },
      { label: t('offer.stadtteil.summary'), value: h.stadtteil ?? undefined },
      { label: t('offer.rooms.summary'), value: h.rooms === null ? undefined : formatNumber(h.rooms, 'de') },
    ],
  }));
  const none = t('offer.review.none');
  const text = paragraphs(heading(subject, '='), intro, rowsText(groups, none), t('mail.held.release'));
  const body = [p(intro), tables(groups, none), p(t('mail.held.release'), { spaced: true })];
  return { subject, text, html: layout({ lang: 'de', title: subject, preheader: intro, body }) };
}
