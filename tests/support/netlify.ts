import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scheduledFunctionName } from '../../src/integrations/netlify-scheduled.ts';

/**
 * The Netlify build, called the way Netlify calls it: `astro build` with PORTAL_TARGET=netlify
 * writes the static site to dist-netlify/ and the functions to .netlify/v1/functions/ (Netlify's
 * Frameworks API); the tests run those built files in a Node process of their own and call their
 * default exports with real Requests, as Netlify's Node runtime does (./netlify-host.ts). What Netlify itself adds (its CDN serving the static
 * files with _headers, the routing of misses to the function, the schedule) is not run here.
 */
export const root = join(import.meta.dirname, '..', '..');
export const publishDir = join(root, 'dist-netlify');
export const functionsDir = join(root, '.netlify', 'v1', 'functions');
const bin = join(root, 'node_modules', '.bin');

/** `astro build` for Netlify; resolves with the seconds it took. `env` reaches the build (ROUTING_FILE is built in). */
export async function buildForNetlify(env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  // Not NODE_ENV=test nor vitest's settings: the build must be the one `npm run build:netlify` makes.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')),
  );
  await promisify(execFile)(join(bin, 'astro'), ['build'], {
    cwd: root,
    env: { ...inherited, PATH: `${bin}:${process.env.PATH ?? ''}`, ...env, PORTAL_TARGET: 'netlify' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return (performance.now() - started) / 1000;
}

/** The config a built function exports (Netlify reads it from the file without running it). */
export async function functionConfig(name: string): Promise<Record<string, unknown>> {
  const text = readFileSync(join(functionsDir, name, `${name}.mjs`), 'utf8');
  // The config is an object literal at the end of the entry file (the adapter's and ours).
  const literal = /export const config = (\{[\s\S]*?\});/.exec(text)?.[1];
  if (!literal) throw new Error(`no config literal in ${name}.mjs`);
  return new Function(`return (${literal});`)() as Record<string, unknown>;
}

export interface NetlifyHost {
  url: string;
  /** Runs the Scheduled Function once; resolves with its answer. */
  schedule: () => Promise<Response>;
  /** What the functions logged so far (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts tests/support/netlify-host.ts: the built functions in their own Node process (Node 24
 * from node_modules/.bin) with `env` as the site's environment variables.
 */
export async function startNetlifyHost(env: Record<string, string>): Promise<NetlifyHost> {
  const child = spawn(
    join(bin, 'node'),
    [join(import.meta.dirname, 'netlify-host.ts'), functionsDir, scheduledFunctionName],
    {
      cwd: tmpdir(),
      // Only what Netlify would set: PATH and the site's variables, nothing of the test runner.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`netlify-host did not start:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      const match = /netlify-host listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`netlify-host exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    schedule: () => fetch(`${url}/__scheduled`, { method: 'POST', body: '{"next_run":""}' }),
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
