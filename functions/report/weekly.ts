import { renderReportMail } from '../mail/report-mail.ts';
import type { MailTransport } from '../delivery/mail.ts';
import type { MessageContext } from '../delivery/messages.ts';
import { scrub } from '../lib/log.ts';
import type { MaintenanceOptions } from '../maintenance.ts';
import { isoWeek, lastFullWeeks } from './calendar.ts';
import { renderHtml } from './html.ts';
import { loadFigures } from './load.ts';

/** Remembers the last ISO week ("2026-W47") whose figures reached the coordinator. */
export const reportMarker = 'report_digest_week';

/**
 * Once a week: the figures of the last full week (Monday to Sunday, Cologne time) and of the
 * twelve weeks up to it to the coordinator, with the twelve weeks as an HTML page attached.
 * The first maintenance run after Sunday midnight sends it; a failed send is logged and tried
 * again at the next run; nothing is thrown. Returns whether a mail went out.
 */
export async function sendWeeklyReport(
  options: MaintenanceOptions & { mail: MailTransport; messages: MessageContext },
  now: Date,
): Promise<boolean> {
  const { store, mail, messages, log } = options;
  const week = lastFullWeeks(now, 1);
  const id = isoWeek(week.from).id;
  try {
    const last = await store.marker(reportMarker);
    // Week ids sort like the weeks ("2026-W09" < "2026-W10" < "2027-W01").
    if (last && last >= id) return false;
    const carriers = messages.carriers;
    const recent = await loadFigures(store, lastFullWeeks(now, 12), carriers);
    const figures = await loadFigures(store, week, carriers);
    const attachment = `zahlen-${recent.period.from}-bis-${recent.period.to}.html`;
    const rendered = renderReportMail({ week: figures, recent, attachment, generatedAt: now });
    const domain = /@([A-Za-z0-9.-]+)/.exec(messages.mailFrom)?.[1] ?? 'localhost';
    const outcome = await mail.send({
      from: messages.mailFrom,
      to: messages.coordinator.email,
      // Stable per week: a repeated send (a crash before the marker was written) is a duplicate receivers can drop.
      messageId: `<report-digest.${id}@${domain}>`,
      ...rendered,
      attachments: [
        {
          filename: attachment,
          content: renderHtml(recent, { generatedAt: now }),
          contentType: 'text/html; charset=utf-8',
        },
      ],
    });
    if (!outcome.ok) {
      log('report.digest_failed', { week: id, detail: scrub(outcome.detail) });
      return false;
    }
    await store.setMarker(reportMarker, id);
    log('report.digest_sent', { week: id, offers: figures.offered });
    return true;
  } catch (error) {
    log('report.digest_failed', { week: id, detail: scrub(error) });
    return false;
  }
}
