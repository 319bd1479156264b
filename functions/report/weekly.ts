import { renderReportMail } from '../mail/report-mail.ts';
import type { MailTransport } from '../delivery/mail.ts';
import type { MessageContext } from '../delivery/messages.ts';
import { scrub } from '../lib/log.ts';
import type { MaintenanceOptions } from '../maintenance.ts';
import { isoWeek, lastFullWeeks } from './calendar.ts';
import { renderHtml } from './html.ts';
import { loadFigures } from './load.ts';

/**
 * Where the weekly mail stands, as one marker: "2026-W47 sent", "2026-W47 sending <lease end>",
 * "2026-W47 failed", or "2026-W47 before" (a new installation's first run: the week before it
 * existed, not sent). Every change is a swap from the value last read (store.swapMarker), so of
 * several instances (or a restart in the middle) exactly one sends a week's mail.
 */
export const reportMarker = 'report_digest';

/**
 * How long a claim keeps other instances off. A send that takes longer (it would have to hang)
 * or an instance that dies while sending frees the week again; the mail then goes out a second
 * time with the same Message-ID, so a receiving system can drop it: at least once, like the queue.
 */
export const reportLeaseMs = 15 * 60_000;

type State = { week: string; state: 'sent' | 'sending' | 'failed' | 'before'; until?: number };

function parse(value: string | undefined): State | undefined {
  const m = /^(\d{4}-W\d{2}) (sent|sending|failed|before)(?: (\S+))?$/.exec(value ?? '');
  if (!m) return undefined;
  return { week: m[1]!, state: m[2] as State['state'], until: m[3] ? Date.parse(m[3]) : undefined };
}

/**
 * Once a week: the figures of the last full week (Monday to Sunday, Cologne time) and of the
 * twelve weeks up to it to the coordinator, with the twelve weeks as an HTML page attached.
 * The first maintenance run after Sunday midnight sends it; a failed send is logged and tried
 * again at the next run; a week the portal was not running through is not sent late (the next
 * mail's twelve weeks cover it). A new installation (no marker yet) starts with the first full
 * week it runs through: its first run only notes the week before, which would otherwise reach the
 * coordinator on launch day as a mail of zeros about a week the portal did not exist. Nothing is
 * thrown. Returns whether this call sent the mail.
 */
export async function sendWeeklyReport(
  options: MaintenanceOptions & { mail: MailTransport; messages: MessageContext },
  now: Date,
): Promise<boolean> {
  const { store, mail, messages, log } = options;
  const week = lastFullWeeks(now, 1);
  const id = isoWeek(week.from).id;
  try {
    const seen = await store.marker(reportMarker);
    if (seen === undefined) {
      if (await store.swapMarker(reportMarker, undefined, `${id} before`)) log('report.digest_started', { week: id });
      return false;
    }
    const state = parse(seen);
    // Week ids sort like the weeks ("2026-W09" < "2026-W10" < "2027-W01").
    if (state && state.week > id) return false;
    if (state?.week === id && (state.state === 'sent' || state.state === 'before')) return false;
    if (state?.week === id && state.state === 'sending' && (state.until ?? 0) > now.getTime()) return false;
    const claim = `${id} sending ${new Date(now.getTime() + reportLeaseMs).toISOString()}`;
    if (!(await store.swapMarker(reportMarker, seen, claim))) return false;

    const carriers = messages.carriers;
    const recent = await loadFigures(store, lastFullWeeks(now, 12), carriers, messages.campaigns);
    const figures = await loadFigures(store, week, carriers, messages.campaigns);
    const attachment = `zahlen-${recent.period.from}-bis-${recent.period.to}.html`;
    const rendered = renderReportMail({ week: figures, recent, attachment, generatedAt: now });
    const domain = /@([A-Za-z0-9.-]+)/.exec(messages.mailFrom)?.[1] ?? 'localhost';
    const outcome = await mail
      .send({
        from: messages.mailFrom,
        to: messages.coordinator.email,
        // Stable per week: a repeated send (see reportLeaseMs) is a duplicate receivers can drop.
        messageId: `<report-digest.${id}@${domain}>`,
        ...rendered,
        attachments: [
          {
            filename: attachment,
            content: renderHtml(recent, { generatedAt: now }),
            contentType: 'text/html; charset=utf-8',
          },
        ],
      })
      .catch((error: unknown) => ({ ok: false as const, detail: error }));
    if (!outcome.ok) {
      // Free the week for the next run (unless the lease ran out and another instance has it).
      await store.swapMarker(reportMarker, claim, `${id} failed`);
      log('report.digest_failed', { week: id, detail: scrub(outcome.detail) });
      return false;
    }
    await store.swapMarker(reportMarker, claim, `${id} sent`);
    log('report.digest_sent', { week: id, offers: figures.offered });
    return true;
  } catch (error) {
    log('report.digest_failed', { week: id, detail: scrub(error) });
    return false;
  }
}
