import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { node, root } from './paths.ts';
import { sleep } from './stats.ts';

/** Children this run started, so that a crash of the benchmark does not leave them running. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface Child {
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `node [nodeArgs] <script>` from the repository root with its output in a log file (one
 * JSON line per event).
 */
export function startNode(
  script: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: string[] = [],
): Child {
  const fd = openSync(logFile, 'a');
  const child = spawn(node, [...nodeArgs, join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  return {
    child,
    pid: child.pid,
    logFile,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/**
 * The node flags an npm script gives a script of functions/, e.g. `["--max-semi-space-size=16"]`
 * for `"serve": "… && node --max-semi-space-size=16 functions/server.ts"`, so that the benchmark
 * runs the server and the worker as `npm run serve` and `npm run deliver` do.
 */
export function scriptNodeFlags(scriptName: string, file: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\bnode((?:\\s+--\\S+)*)\\s+${escaped}\\b`).exec(scripts[scriptName] ?? '');
  if (!match) throw new Error(`package.json script "${scriptName}" does not run node ${file}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

export interface ServerChild extends Child {
  url: string;
  dataDir: string;
}

/**
 * `node functions/server.ts` in its own process, as `npm run serve` runs it (with its node flags):
 * a fresh DATA_DIR, no rate limit, and the in-process delivery worker off, so the figures are the
 * intake alone and the delivery jobs stay for the drain. `nodeArgs` come before the script's own.
 */
export async function startServerChild(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ServerChild> {
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    RATE_LIMIT: 'off',
    DELIVERY_WORKER: 'off',
    ...extraEnv,
  };
  const started = startNode('functions/server.ts', env, join(dataDir, 'server.log'), [
    ...nodeArgs,
    ...scriptNodeFlags('serve', 'functions/server.ts'),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (started.child.exitCode !== null)
      throw new Error(`the server exited during start-up:\n${tail(started.logFile)}`);
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await started.stop();
      throw new Error(`the server did not answer within 30 s:\n${tail(started.logFile)}`);
    }
    await sleep(100);
  }
  return { ...started, url, dataDir };
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface MemoryPeak {
  /** Highest VmRSS seen while polling every 200 ms. */
  peakRssBytes: number;
  /** VmHWM: the kernel's own peak resident set, read at the last poll. */
  hwmBytes: number;
  /** VmRSS at the first poll (before the load). */
  startRssBytes: number;
  samples: number;
}

/**
 * CPU time (user + system, all threads) a process has used so far, in seconds, from
 * /proc/<pid>/stat (clock ticks of 1/100 s, Linux's USER_HZ on x86-64 and arm64).
 */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15 → indexes 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function statusField(status: string, name: string): number | undefined {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** A size field of /proc/<pid>/status now (VmRSS, VmHWM, RssAnon…), in bytes; undefined once the process is gone. */
export function statusBytes(pid: number, field: string): number | undefined {
  try {
    return statusField(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return undefined;
  }
}

export const rssBytes = (pid: number) => statusBytes(pid, 'VmRSS');

/** Polls /proc/<pid>/status every `intervalMs` for VmRSS and VmHWM. */
export function pollMemory(pid: number, intervalMs = 200): { stop(): MemoryPeak } {
  const peak: MemoryPeak = { peakRssBytes: 0, hwmBytes: 0, startRssBytes: 0, samples: 0 };
  const poll = () => {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return; // gone
    }
    const rss = statusField(status, 'VmRSS');
    const hwm = statusField(status, 'VmHWM');
    if (rss !== undefined) {
      if (peak.samples === 0) peak.startRssBytes = rss;
      peak.peakRssBytes = Math.max(peak.peakRssBytes, rss);
      peak.samples++;
    }
    if (hwm !== undefined) peak.hwmBytes = Math.max(peak.hwmBytes, hwm);
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      poll();
      clearInterval(timer);
      return peak;
    },
  };
}
