import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { runAutocannon, withServerCpu, type AutocannonRun, type LoadLevel } from './load.ts';
import {
  pollMemory,
  rssBytes,
  scriptNodeFlags,
  startNode,
  startServerChild,
  tail,
  type MemoryPeak,
} from './processes.ts';
import { root, tempDir } from './paths.ts';
import { sleep } from './stats.ts';
import type { Engine } from './engines.ts';

/**
 * Surge drill: a burst of offers (10,000 within one minute by default) against the portal in a
 * child process (`node functions/server.ts`), whose memory is watched through /proc. Afterwards
 * the offers are counted in the database, and, if the one-shot delivery worker exists, it
 * drains all delivery jobs into a local SMTP server that counts what arrives.
 */

export interface DrainResult {
  measured: boolean;
  reason?: string;
  completed?: boolean;
  seconds?: number;
  /** When the last message arrived (s after the worker started). */
  lastMessageSeconds?: number;
  messages?: number;
  messagesPerSecond?: number;
  jobsBefore?: Record<string, number>;
  jobsAfter?: Record<string, number>;
  exit?: string;
  summary?: string;
  memory?: MemoryPeak;
  /** The worker's VmRSS when half of the messages had arrived (growth within one drain). */
  rssAtHalfBytes?: number;
}

export interface SurgeResult {
  engine: string;
  offers: number;
  /** The window the offers should arrive in, and the autocannon rate that achieves it. */
  seconds: number;
  rate: number;
  connections: number;
  /** Seconds from the first request to the last 2xx answer. */
  acceptSeconds: number;
  load: LoadLevel;
  failures: number;
  rowsInOffers: number;
  rowsReceived: number;
  jobs: Record<string, number>;
  memory: MemoryPeak;
  serverExit: string;
  drain: DrainResult;
}

const exitText = (e: { code: number | null; signal: NodeJS.Signals | null }) =>
  e.signal ? `signal ${e.signal}` : `code ${e.code}`;

/**
 * autocannon limits each connection to a whole number of requests per second, and sends them at
 * the start of each second. The overall rate is therefore rounded up to a multiple of the
 * connections, so that every connection's share is sent within the window (at 167/s with 10
 * connections, three connections would get 16/s and need 63 s for their 1,000 offers).
 */
export function surgeRate(offers: number, seconds: number, connections: number): number {
  return connections * Math.ceil(offers / connections / seconds);
}

export async function surgeDrill(
  o: { offers: number; seconds: number; rate: number; connections: number; drainTimeoutSeconds: number },
  engine: Engine,
  progress: (line: string) => void,
): Promise<SurgeResult> {
  const dataDir = tempDir('surge');
  const env = await engine.env(dataDir);
  const server = await startServerChild(dataDir, env);
  const memory = pollMemory(server.pid);
  let run: AutocannonRun;
  let peak: MemoryPeak;
  let serverExit: string;
  try {
    run = await withServerCpu(server.pid, () =>
      runAutocannon(server.url, `surge ${o.offers}`, {
        connections: o.connections,
        amount: o.offers,
        overallRate: o.rate,
      }),
    );
  } finally {
    peak = memory.stop();
    serverExit = exitText(await server.stop());
  }
  const after = await engine.counts(env);
  progress(
    `surge (${engine.label}): ${run.level.accepted} accepted in ${(run.lastAcceptedAfterMs / 1000).toFixed(1)} s, ${after.offers} rows, peak RSS ${(peak.hwmBytes / 1024 / 1024).toFixed(0)} MiB`,
  );

  const result: SurgeResult = {
    engine: engine.name,
    offers: o.offers,
    seconds: o.seconds,
    rate: o.rate,
    connections: o.connections,
    acceptSeconds: run.lastAcceptedAfterMs / 1000,
    load: run.level,
    failures: run.level.non2xx + run.level.errors,
    rowsInOffers: after.offers,
    rowsReceived: after.received,
    jobs: after.jobs,
    memory: peak,
    serverExit,
    drain: { measured: false, reason: 'no delivery worker yet (functions/deliver.ts does not exist)' },
  };

  if (existsSync(join(root, 'functions', 'deliver.ts')))
    result.drain = await drain(env, engine, after.jobs, o.drainTimeoutSeconds, progress);
  return result;
}

/**
 * Runs `node functions/deliver.ts` once against the store of `env` and a local SMTP server that
 * counts complete messages. `worker` adds node flags and environment (the memory step preloads
 * its probe this way) and a label for the log file.
 */
export async function drain(
  env: Record<string, string>,
  engine: Engine,
  jobsBefore: Record<string, number>,
  timeoutSeconds: number,
  progress: (line: string) => void,
  worker: { nodeArgs?: string[]; env?: Record<string, string>; label?: string } = {},
): Promise<DrainResult> {
  let messages = 0;
  let lastMessageAt = 0;
  // Half of the pending jobs: one message each, as long as they are mails.
  const half = Math.ceil((jobsBefore.pending ?? 0) / 2);
  let rssAtHalfBytes: number | undefined;
  let workerPid: number | undefined;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        messages++;
        lastMessageAt = performance.now();
        if (messages === half && workerPid !== undefined) rssAtHalfBytes = rssBytes(workerPid);
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
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const started = performance.now();
    const child = startNode(
      'functions/deliver.ts',
      { ...env, SMTP_URL: `smtp://127.0.0.1:${port}`, ...worker.env },
      join(env.DATA_DIR!, `deliver${worker.label ?? ''}.log`),
      [...(worker.nodeArgs ?? []), ...scriptNodeFlags('deliver', 'functions/deliver.ts')],
    );
    workerPid = child.pid;
    const memory = pollMemory(child.pid);
    const outcome = await Promise.race([
      child.exited.then((e) => ({ done: true as const, e })),
      sleep(timeoutSeconds * 1000).then(() => ({ done: false as const })),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const peak = memory.stop();
    const exit = outcome.done ? outcome.e : await child.stop();
    const jobsAfter = (await engine.counts(env)).jobs;
    const summary = tail(child.logFile, 400)
      .split('\n')
      .reverse()
      .find((line) => line.startsWith('deliver:'));
    progress(
      `drain (${engine.label}): ${messages} messages in ${seconds.toFixed(1)} s${outcome.done ? '' : ` (stopped after the ${timeoutSeconds} s limit)`}`,
    );
    return {
      measured: true,
      completed: outcome.done && exit.code === 0,
      seconds,
      lastMessageSeconds: lastMessageAt ? (lastMessageAt - started) / 1000 : undefined,
      messages,
      messagesPerSecond: messages / seconds,
      jobsBefore,
      jobsAfter,
      exit: outcome.done ? exitText(exit) : `stopped after ${timeoutSeconds} s (${exitText(exit)})`,
      summary: summary ?? tail(child.logFile, 5),
      memory: peak,
      rssAtHalfBytes,
    };
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}
