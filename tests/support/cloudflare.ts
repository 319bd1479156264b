import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  applyMigrations,
  buildForCloudflare,
  freePort,
  root,
  startWorker,
  tempState,
  type LocalWorker,
} from '../../scripts/cloudflare-local.ts';

/**
 * Why Cloudflare's runtime cannot run here, or undefined when it can: workerd comes as a native
 * binary with the npm package (@cloudflare/workerd-linux-64 and its siblings for macOS and
 * Windows); on a platform without one, or where the binary does not start, the Cloudflare suite is
 * skipped with a loud banner, and under CI=true it fails, because a green CI must mean the Worker
 * really ran. A runtime that starts but a build or a Worker that fails is a test failure, never a
 * skip.
 */
export const workerdMissing: string | undefined = probeWorkerd();

function probeWorkerd(): string | undefined {
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'workerd'), ['--version'], { stdio: 'pipe', timeout: 30_000 });
    return undefined;
  } catch (error) {
    return `workerd does not start: ${(error as Error).message.split('\n')[0]}`;
  }
}

if (workerdMissing) {
  const message = [
    '',
    '  ┌──────────────────────────────────────────────────────────────────────┐',
    '  │ NO CLOUDFLARE RUNTIME: the Cloudflare tests (the portal in workerd,  │',
    '  │ D1, the Cron Trigger) are NOT run. workerd comes with `npm install`  │',
    '  │ (package wrangler); it needs Linux x64/arm64 with glibc, macOS or    │',
    '  │ Windows. Run `npm install` again, or see docs/deploy/cloudflare.md.  │',
    '  └──────────────────────────────────────────────────────────────────────┘',
    `  Why: ${workerdMissing}`,
    '',
  ].join('\n');
  if (process.env.CI === 'true') throw new Error(`CI=true and no Cloudflare runtime.${message}`);
  console.warn(message);
}

export interface CloudflarePortal extends LocalWorker {
  /** The state folder: the local D1 file is under it (d1File). */
  persistTo: string;
  timings: { buildSeconds: number; migrateSeconds: number; startSeconds: number };
}

/**
 * Builds the portal for Cloudflare (into dist-cloudflare/, beside the Node build in dist/), applies
 * the migrations to a fresh local D1 while it builds, and starts `wrangler dev` on a free port.
 * `buildEnv` reaches the build (e.g. ROUTING_FILE, which is built in), `vars` the Worker.
 */
export async function startCloudflarePortal(options: {
  buildEnv?: NodeJS.ProcessEnv;
  vars?: Record<string, string>;
}): Promise<CloudflarePortal> {
  const persistTo = tempState();
  // wrangler.jsonc and the built config name the same database and migrations, so the local D1
  // can be migrated during the build (the state file is the same: it is keyed by database_id).
  let migrateSeconds = 0;
  const migrated = (async () => {
    const started = performance.now();
    await applyMigrations(persistTo, join(root, 'wrangler.jsonc'));
    migrateSeconds = (performance.now() - started) / 1000;
  })();
  const [buildSeconds] = await Promise.all([buildForCloudflare(options.buildEnv), migrated]);
  const started = performance.now();
  const worker = await startWorker({ port: await freePort(), persistTo, vars: options.vars });
  const startSeconds = (performance.now() - started) / 1000;
  return { ...worker, persistTo, timings: { buildSeconds, migrateSeconds, startSeconds } };
}
