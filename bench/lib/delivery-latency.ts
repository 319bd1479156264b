import { Agent, request } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { validOffer } from '../../tests/support/offers.ts';
import type { Engine } from './engines.ts';
import { startServerChild } from './processes.ts';
import { tempDir } from './paths.ts';
import { percentile, sleep } from './stats.ts';

/**
 * What a landlord and a carrier feel: the time from the portal's 201 answer to the mail handed
 * to the SMTP server. The portal runs as `npm run serve` does, WITH its delivery worker (a stored
 * offer wakes it at once) and SMTP_URL pointing at a local SMTP server in this process, which
 * notes when each message's data is complete. Offers arrive evenly spaced (open loop) at a
 * modest rate; each offer's 201 time is taken in this process too, so both times are on one
 * clock. The mails of the submission carry `<REFERENCE.kind.id@…>` as Message-ID
 * (functions/delivery/messages.ts), which ties each mail to its offer.
 */
export interface DeliveryLatency {
  engine: string;
  rate: number;
  offers: number;
  accepted: number;
  /** Jobs the offers created (all mails with the shipped routing) and mails received. */
  mailsExpected: number;
  mailsReceived: number;
  /** 201 → mail complete at the SMTP server, every mail. */
  allP50Ms: number;
  allP99Ms: number;
  allMaxMs: number;
  /** The same for the landlord's confirmation only. */
  landlordP50Ms: number;
  landlordP99Ms: number;
  /** 201 → the last of the offer's mails. */
  lastP50Ms: number;
  lastP99Ms: number;
  completed: boolean;
}

export async function measureDeliveryLatency(
  o: { rate: number; seconds: number; timeoutSeconds: number },
  engine: Engine,
  progress: (line: string) => void,
): Promise<DeliveryLatency> {
  const arrived = new Map<string, number>(); // Message-ID → when the data was complete
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
        if (id && !arrived.has(id)) arrived.set(id, performance.now());
        callback();
      });
    },
  });
  // A client that drops its connection (a worker exiting with a pooled connection open) is an
  // 'error' of the server: without a listener it would end the benchmark.
  smtp.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  const address = smtp.server.address();
  const smtpPort = typeof address === 'object' && address ? address.port : 0;
  const dataDir = tempDir('latency');
  const env = await engine.env(dataDir);
  const server = await startServerChild(dataDir, {
    ...env,
    DELIVERY_WORKER: 'on',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  });
  const answered = new Map<string, number>(); // reference → when the 201 arrived
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL('/api/offers', server.url);
  const total = Math.max(1, Math.round(o.rate * o.seconds));
  let jobs: Record<string, number> = {};
  try {
    const send = () =>
      new Promise<void>((resolve) => {
        const body = JSON.stringify(validOffer());
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            timeout: 10_000,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              origin: server.url,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => {
              if (res.statusCode === 201) {
                const at = performance.now();
                const reference = (JSON.parse(text) as { reference?: string }).reference;
                if (reference) answered.set(reference, at);
              }
              resolve();
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve());
        req.end(body);
      });
    const pending: Array<Promise<void>> = [];
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / o.rate - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(send());
    }
    await Promise.all(pending);
    // Done when the store has no job left to deliver (or the time is up).
    const deadline = performance.now() + o.timeoutSeconds * 1000;
    for (;;) {
      jobs = (await engine.counts(env)).jobs;
      if (!jobs.pending || performance.now() > deadline) break;
      await sleep(200);
    }
  } finally {
    agent.destroy();
    await server.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }

  const all: number[] = [];
  const landlord: number[] = [];
  const last = new Map<string, number>();
  for (const [id, at] of arrived) {
    const [reference, kind] = id.slice(1).split('@')[0]!.split('.');
    const accepted = answered.get(reference ?? '');
    if (accepted === undefined) continue;
    // A worker may send before the client has read the answer: never below zero.
    const ms = Math.max(0, at - accepted);
    all.push(ms);
    if (kind === 'landlord') landlord.push(ms);
    last.set(reference!, Math.max(last.get(reference!) ?? 0, ms));
  }
  // The submission's jobs: mails to the coordinator and the landlord, and to the carrier where the
  // offer's Stadtteil routes to one (webhooks, if the routing has any, are not mails: not counted).
  const mailsExpected = Object.values(jobs).reduce((a, n) => a + n, 0);
  const result: DeliveryLatency = {
    engine: engine.name,
    rate: o.rate,
    offers: total,
    accepted: answered.size,
    mailsExpected,
    mailsReceived: all.length,
    allP50Ms: percentile(all, 50),
    allP99Ms: percentile(all, 99),
    allMaxMs: all.length ? Math.max(...all) : Number.NaN,
    landlordP50Ms: percentile(landlord, 50),
    landlordP99Ms: percentile(landlord, 99),
    lastP50Ms: percentile([...last.values()], 50),
    lastP99Ms: percentile([...last.values()], 99),
    completed: all.length === mailsExpected && !jobs.pending && !jobs.dead,
  };
  progress(
    `201 → SMTP (${engine.label}): ${all.length}/${result.mailsExpected} mails, p50 ${result.allP50Ms.toFixed(0)} ms, p99 ${result.allP99Ms.toFixed(0)} ms`,
  );
  return result;
}
