import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RetentionPeriods } from '../src/config/retention.ts';
import { renderHeldDigest } from './mail/digest-mail.ts';
import type { MailTransport } from './delivery/mail.ts';
import type { MessageContext } from './delivery/messages.ts';
import { scrub, type Logger } from './lib/log.ts';
import type { OfferStore, PurgeResult } from './storage/types.ts';
import type { Lifecycle } from './lifecycle/lifecycle.ts';

/**
 * What the portal does besides delivering, every hour: the offer's scheduled steps (the "still
 * available?" questions, the after-care question, the ends of offers nobody answered for), and
 * the erasure of personal data whose retention period is over (GDPR Art. 5(1)(e), 17; a withdrawn
 * offer's data goes within the hour after everyone was told); once a day, the list of offers held
 * as suspected spam to the coordinator. The worker inside `npm start` runs it; `npm run purge`
 * runs the erasure by hand.
 */
const day = 24 * 3600 * 1000;

export interface MaintenanceOptions {
  store: OfferStore;
  retention: RetentionPeriods;
  /** Where the .eml transport writes mails (they hold personal data too); undefined when mail leaves by SMTP or API. */
  mailDir?: string;
  log: Logger;
}

/** Erases what is due now; returns the counts. */
export async function purge(options: MaintenanceOptions, now: Date): Promise<PurgeResult & { mailFiles: number }> {
  const { store, retention, mailDir, log } = options;
  const result = await store.purge({
    offerCutoff: new Date(now.getTime() - retention.offerDays * day),
    heldCutoff: new Date(now.getTime() - retention.spamDays * day),
    now,
  });
  let mailFiles = 0;
  if (mailDir && result.references.length > 0) {
    const references = new Set(result.references);
    for (const file of safeList(mailDir)) {
      // Files are named after the Message-ID: "_K7M4-QX9T.landlord.landlord@host_.eml".
      const reference = /^_?([2-9A-Z]{4}-[2-9A-Z]{4})\./.exec(file)?.[1];
      if (reference && references.has(reference)) {
        rmSync(join(mailDir, file), { force: true });
        mailFiles++;
      }
    }
  }
  if (result.erased > 0) log('retention.erased', { offers: result.erased, held: result.heldErased, mailFiles });
  return { ...result, mailFiles };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Once a day at most: the list of held offers to the coordinator, while there are any. */
export async function sendHeldDigest(
  options: MaintenanceOptions & { mail: MailTransport; messages: MessageContext },
  now: Date,
): Promise<boolean> {
  const { store, mail, messages, retention, log } = options;
  const last = await store.marker('held_digest_at');
  if (last && now.getTime() - Date.parse(last) < day) return false;
  const held = await store.heldOffers();
  if (held.length === 0) return false;
  const rendered = renderHeldDigest(held, retention.spamDays);
  const domain = /@([A-Za-z0-9.-]+)/.exec(messages.mailFrom)?.[1] ?? 'localhost';
  const outcome = await mail.send({
    from: messages.mailFrom,
    to: messages.coordinator.email,
    messageId: `<held-digest.${now.toISOString().slice(0, 10)}@${domain}>`,
    ...rendered,
  });
  if (!outcome.ok) {
    log('held.digest_failed', { offers: held.length, detail: scrub(outcome.detail) });
    return false;
  }
  await store.setMarker('held_digest_at', now.toISOString());
  log('held.digest_sent', { offers: held.length });
  return true;
}

/**
 * All of it, for the worker's loop (hourly). Each part's error is logged and the others still
 * run; nothing is thrown.
 */
export async function runMaintenance(
  options: MaintenanceOptions & { mail: MailTransport; messages: MessageContext; lifecycle?: Lifecycle },
  now: Date,
): Promise<void> {
  const parts: Array<[string, () => Promise<unknown>]> = [
    ['schedule', async () => options.lifecycle?.runSchedule(now)],
    ['purge', () => purge(options, now)],
    ['held_digest', () => sendHeldDigest(options, now)],
  ];
  for (const [part, run] of parts) {
    try {
      await run();
    } catch (error) {
      options.log('maintenance.error', { part, detail: scrub(error) });
    }
  }
}
