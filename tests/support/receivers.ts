import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** A real HTTP webhook receiver on loopback whose behaviour a test sets per request. */
export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  url: string;
}
export async function startReceiver(
  behave: (request: Received, res: ServerResponse) => void = (_, res) => res.writeHead(204).end(),
): Promise<{
  url: string;
  received: Received[];
  server: Server;
  setBehaviour: (b: typeof behave) => void;
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  let behaviour = behave;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '/' };
      received.push(request);
      behaviour(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    server,
    setBehaviour: (b) => (behaviour = b),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A message as the SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** When the server accepted it (Date.now()), to tell when a duplicate arose. */
  at: number;
}

/**
 * A real SMTP server (the smtp-server package) on loopback. `reject` lets a test answer with an
 * SMTP error code (e.g. 451 temporary, 550 permanent); `mails` may be shared across restarts.
 */
export async function startSmtp(
  port = 0,
  mails: ReceivedMail[] = [],
): Promise<{
  port: number;
  url: string;
  mails: ReceivedMail[];
  reject: (code?: number) => void;
  close: () => Promise<void>;
}> {
  let rejectCode: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejectCode) {
          // Like real servers, the rejection quotes the address: the portal must not log it.
          const rcpt = session.envelope.rcptTo.map((r) => `<${r.address}>`).join(', ');
          const error = new Error(
            rejectCode >= 500 ? `5.1.1 ${rcpt}: Recipient address rejected` : `4.7.1 ${rcpt}: Try again later`,
          ) as Error & {
            responseCode: number;
          };
          error.responseCode = rejectCode;
          callback(error);
          return;
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    mails,
    reject: (code) => (rejectCode = code),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Header value from a raw RFC 5322 message (unfolded). */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1];
}
