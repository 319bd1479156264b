import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { runAutocannon } from './load.ts';
import { rssBytes, startServerChild, statusBytes } from './processes.ts';
import { drain, type DrainResult } from './surge.ts';
import { root, tempDir } from './paths.ts';
import { sleep } from './stats.ts';
import type { Engine } from './engines.ts';
import type { ProbeLine } from './memory-probe.ts';

/**
 * Memory over repeated surges: one `node functions/server.ts` takes several surges of offers in a
 * row (only a short settle between them), then `node functions/deliver.ts` drains each surge's
 * jobs into a local SMTP server, one worker process per surge. Growth that stops after the first
 * surge is a process sizing itself for the load (V8's young generation, pages kept for reuse, the
 * allocator's free lists); growth that goes on with every surge is a leak. Both processes get the
 * probe in memory-probe.ts (--expose-gc): after each surge the server is asked for its figures by
 * SIGUSR2, and each worker writes them when it exits. RSS is read first and is the figure
 * compared; the forced GC that follows only tells live objects (heapUsed after GC) from garbage.
 *
 * The drains run after the surges, each on a copy of the database taken right after its surge
 * (`VACUUM INTO`, the earlier surges' jobs marked delivered), so that the server is not left idle
 * for minutes between surges: idle, V8's memory reducer would shrink it and hide growth. The copy
 * is SQLite's, so the step runs on SQLite only (the goal is about the processes, not the engine).
 */

export interface SurgeMemory {
  accepted: number;
  failures: number;
  seconds: number;
  /** VmRSS after the surge and the settle time, before anything is asked of the process. */
  rssBytes: number;
  /** VmHWM (the kernel's peak) so far. */
  hwmBytes: number;
  probe?: ProbeLine;
}

export interface DrainMemory {
  drain: DrainResult;
  /** The worker's own figures when it exited after its drain. */
  probe?: ProbeLine;
}

export interface MemoryResult {
  engine: string;
  offersPerSurge: number;
  rate: number;
  connections: number;
  settleSeconds: number;
  /** VmRSS of the fresh server before the first offer. */
  serverStartRssBytes: number;
  surges: SurgeMemory[];
  drains: DrainMemory[];
  /** RSS after the last surge ÷ after the first, minus 1 (0.05 = 5 % more). */
  serverGrowth: number;
  /** The worker's RSS at the end of its last drain ÷ at the end of its first, minus 1. */
  workerGrowth?: number;
  /** Allowed growth (0.15). */
  limit: number;
}

function readProbe(file: string): ProbeLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProbeLine);
}

/** Asks the process for its probe line (SIGUSR2) and waits until it has been written. */
async function askProbe(pid: number, file: string): Promise<ProbeLine | undefined> {
  const before = readProbe(file).length;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    const lines = readProbe(file);
    if (lines.length > before) return lines.at(-1);
  }
  return undefined;
}

/**
 * Copies the database in `from` to `to` as it is now (`VACUUM INTO`, beside the running server),
 * with the jobs of offers up to `drainedUpTo` marked delivered: the copy holds this surge's jobs
 * as pending, as if the earlier surges had been drained. Returns the highest offer id.
 */
function snapshot(from: string, to: string, drainedUpTo: number): number {
  const target = join(to, 'offers.sqlite');
  const source = new DatabaseSync(join(from, 'offers.sqlite'), { readOnly: true });
  let lastOffer: number;
  try {
    source.prepare('VACUUM INTO ?').run(target);
    lastOffer = Number((source.prepare('SELECT max(id) AS n FROM offers').get() as { n: number | null }).n ?? 0);
  } finally {
    source.close();
  }
  const copy = new DatabaseSync(target);
  try {
    const now = new Date().toISOString();
    copy
      .prepare(
        `UPDATE delivery_jobs SET status = 'delivered', delivered_at = ?, finished_at = ?, lease_until = NULL,
           claimed_by = NULL WHERE offer_id <= ? AND status = 'pending'`,
      )
      .run(now, now, drainedUpTo);
  } finally {
    copy.close();
  }
  return lastOffer;
}

export const probeArgs = ['--expose-gc', '--import', join(root, 'bench', 'lib', 'memory-probe.ts')];

export async function memoryDrill(
  o: {
    offers: number;
    surges: number;
    rate: number;
    connections: number;
    settleSeconds: number;
    drainTimeoutSeconds: number;
    limit: number;
  },
  engine: Engine,
  progress: (line: string) => void,
): Promise<MemoryResult> {
  if (engine.name !== 'sqlite') throw new Error('the memory step copies SQLite databases: run it on SQLite');
  const dataDir = tempDir('memory');
  const env = await engine.env(dataDir);
  const serverProbe = join(dataDir, 'server-probe.jsonl');
  const withWorker = existsSync(join(root, 'functions', 'deliver.ts'));
  const surges: SurgeMemory[] = [];
  const snapshots: string[] = [];
  const server = await startServerChild(dataDir, { ...env, BENCH_MEMORY_PROBE: serverProbe }, probeArgs);
  let serverStartRssBytes = 0;
  try {
    serverStartRssBytes = rssBytes(server.pid) ?? 0;
    let drainedUpTo = 0; // offers of earlier surges, whose jobs the earlier drains take
    for (let i = 1; i <= o.surges; i++) {
      const run = await runAutocannon(server.url, `memory surge ${i}`, {
        connections: o.connections,
        amount: o.offers,
        overallRate: o.rate,
      });
      await sleep(o.settleSeconds * 1000);
      const rss = rssBytes(server.pid) ?? Number.NaN;
      const probe = await askProbe(server.pid, serverProbe);
      surges.push({
        accepted: run.level.accepted,
        failures: run.level.non2xx + run.level.errors,
        seconds: run.lastAcceptedAfterMs / 1000,
        rssBytes: rss,
        hwmBytes: statusBytes(server.pid, 'VmHWM') ?? Number.NaN,
        probe,
      });
      progress(
        `memory surge ${i}: ${run.level.accepted} accepted, server RSS ${(rss / 1048576).toFixed(0)} MiB, heapUsed after GC ${probe?.afterGc ? (probe.afterGc.heapUsed / 1048576).toFixed(0) : 'n/a'} MiB`,
      );
      if (withWorker) {
        const copy = tempDir(`memory-drain-${i}`);
        drainedUpTo = snapshot(dataDir, copy, drainedUpTo);
        snapshots.push(copy);
      }
    }
  } finally {
    await server.stop();
  }
  const drains: DrainMemory[] = [];
  for (const [index, copy] of snapshots.entries()) {
    const workerProbe = join(copy, 'worker-probe.jsonl');
    const copyEnv = await engine.env(copy);
    const d = await drain(copyEnv, engine, (await engine.counts(copyEnv)).jobs, o.drainTimeoutSeconds, progress, {
      nodeArgs: probeArgs,
      env: { BENCH_MEMORY_PROBE: workerProbe },
    });
    const probe = readProbe(workerProbe).find((l) => l.reason === 'exit');
    drains.push({ drain: d, probe });
    progress(
      `memory drain ${index + 1}: ${d.messages} messages, worker RSS at the end ${probe ? (probe.before.rss / 1048576).toFixed(0) : 'n/a'} MiB (peak ${((d.memory?.hwmBytes ?? Number.NaN) / 1048576).toFixed(0)} MiB)`,
    );
  }
  const first = surges[0]?.rssBytes ?? Number.NaN;
  const last = surges.at(-1)?.rssBytes ?? Number.NaN;
  const workerEnd = (d: DrainMemory | undefined) => d?.probe?.before.rss ?? Number.NaN;
  return {
    engine: engine.name,
    offersPerSurge: o.offers,
    rate: o.rate,
    connections: o.connections,
    settleSeconds: o.settleSeconds,
    serverStartRssBytes,
    surges,
    drains,
    serverGrowth: last / first - 1,
    workerGrowth: drains.length ? workerEnd(drains.at(-1)) / workerEnd(drains[0]) - 1 : undefined,
    limit: o.limit,
  };
}
