import { useTranslations } from '../../src/i18n/index.ts';
import { layout, p } from './layout.ts';
import { paragraphs } from './text.ts';
import type { RenderedMail } from './types.ts';
import type { DeadJob } from '../storage/types.ts';

/**
 * The coordinator's alert when deliveries failed for good (German: staff read it). It names
 * references, channels and recipients' roles, never an address: error texts are scrubbed before
 * they are stored.
 */
export function renderAlertMail(dead: readonly DeadJob[]): RenderedMail {
  const t = useTranslations('de');
  const lines = dead.map(
    (d) =>
      `- ${t('mail.alert.line', {
        reference: d.reference,
        channel: d.channel,
        recipient: d.recipientKind,
        id: d.recipientId,
        attempts: d.attempts,
        error: d.lastError ?? '',
      })}`,
  );
  const intro = t('mail.alert.intro', { count: dead.length });
  const subject = t('mail.alert.subject', { count: dead.length });
  const text = paragraphs(intro, lines.join('\n'), t('mail.alert.retry'));
  const body = [p(intro), p(lines.map((line, i) => [i ? '\n' : '', line])), p(t('mail.alert.retry'))];
  return { subject, text, html: layout({ lang: 'de', title: subject, preheader: intro, body }) };
}
