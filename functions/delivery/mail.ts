import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { sendgridTransport } from './sendgrid.ts';
import type { DeliveryOutcome } from './webhooks.ts';
import { scrub, type Logger } from '../lib/log.ts';

/**
 * E-mail transports, chosen by configuration: SMTP_URL selects SMTP (nodemailer, pooled, TLS
 * and auth from the URL), SENDGRID_API_KEY selects SendGrid's v3 API (sendgrid.ts, plain fetch), neither writes each message
 * as an .eml file into DATA_DIR/mail and announces it on the console, so a newcomer sees real
 * mails without any server.
 */

export interface OutgoingMail {
  from: string;
  to: string;
  replyTo?: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Stable per offer and recipient, e.g. <K7M4-QX9T.carrier.caritas@portal.example.org>. */
  messageId: string;
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
}

export interface MailTransport {
  /** 'none': a platform without a configured transport (jobs wait and are retried, see functions/serverless/). */
  readonly name: 'smtp' | 'sendgrid' | 'eml' | 'none';
  send(mail: OutgoingMail): Promise<DeliveryOutcome>;
  close(): void;
}

export interface MailConfig {
  smtpUrl?: string;
  sendgridApiKey?: string;
  /** Only for tests against a local server that speaks the v3 API. */
  sendgridBaseUrl?: string;
  sendgridDataResidency?: 'global' | 'eu';
  dataDir: string;
  log?: Logger;
}

export function createMailTransport(config: MailConfig): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl);
  if (config.sendgridApiKey) {
    return sendgridTransport({
      apiKey: config.sendgridApiKey,
      dataResidency: config.sendgridDataResidency,
      baseUrl: config.sendgridBaseUrl,
    });
  }
  return emlTransport(config.dataDir, config.log ?? (() => {}));
}

/** SMTP replies: 4xx are temporary (retry), 5xx permanent; no reply at all (network) is retried. */
export function classifySmtpError(error: unknown): DeliveryOutcome {
  const e = error as { responseCode?: number; code?: string; message?: string };
  // Servers quote the address they refused ("550 <x@y>: unknown user"): scrubbed at the source.
  const detail = `${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${scrub(e.message ?? String(error))}`;
  if (typeof e.responseCode === 'number') return { ok: false, retry: e.responseCode < 500, detail };
  return { ok: false, retry: true, detail };
}

/**
 * SMTP_URL → nodemailer options. `smtp://user:pass@host:587` (STARTTLS when the server offers
 * it; `?requireTLS=true` insists), `smtps://…:465` (TLS from the first byte).
 */
export function smtpOptionsFromUrl(url: string) {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${u.protocol}"`);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port) || (secure ? 465 : 587),
    secure,
    requireTLS: u.searchParams.get('requireTLS') === 'true',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
  };
}

function smtpTransport(url: string): MailTransport {
  // Pooled connections; bounded timeouts so a hanging server cannot stall the worker.
  const pooled = nodemailer.createTransport({
    ...smtpOptionsFromUrl(url),
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    name: 'smtp',
    async send(mail) {
      try {
        const info = await pooled.sendMail(toNodemailer(mail));
        return { ok: true, detail: `SMTP ${String(info.response ?? 'ok').slice(0, 120)}` };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close: () => pooled.close(),
  };
}

function toNodemailer(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    replyTo: mail.replyTo,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    attachments: mail.attachments,
    // Nodemailer would add its own X-Mailer; nothing about our software is anyone's business.
    xMailer: false as const,
  };
}

function emlTransport(dataDir: string, log: Logger): MailTransport {
  const dir = join(dataDir, 'mail');
  // Mails hold personal data: readable by the portal's user only.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    name: 'eml',
    async send(mail) {
      const info = await stream.sendMail(toNodemailer(mail));
      const file = join(dir, `${mail.messageId.replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      // No address in the log: logs carry no personal data. The file holds the whole mail.
      log('mail.written', { file });
      return { ok: true, detail: `written ${file}` };
    },
    close: () => stream.close(),
  };
}
