import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startPortal, type Portal } from '../../functions/server.ts';
import { loadConfig } from '../../functions/config.ts';
import { silentLogger } from '../../functions/lib/log.ts';
import { loadMigrations } from '../../functions/storage/migrations.ts';
import { root } from '../support/content-files.ts';
import { engineMissing } from '../support/engines.ts';
import { freshDatabase, storageEngine } from '../support/postgres.ts';
import { tempDataDir } from '../support/offers.ts';

const run = promisify(execFile);

/** A path that exists as a file, so no data folder can be made below it. */
function notAFolder(): string {
  const file = join(tempDataDir(), 'file');
  writeFileSync(file, '');
  return file;
}

/**
 * `npm run migrate` on each engine (this file is in the `site` and the `postgres` project): what it
 * prints, that a second run does nothing, and that it is safe beside a running instance and
 * beside other migrators.
 */
describe.skipIf(engineMissing)(`npm run migrate on ${storageEngine}`, () => {
  const names = loadMigrations(storageEngine).map((m) => m.name);
  const latest = loadMigrations(storageEngine).at(-1)!.version;
  const portals: Portal[] = [];
  afterAll(async () => {
    for (const portal of portals) await portal.close();
  });

  /** A new, empty database of the engine under test, as environment. */
  async function database(): Promise<Record<string, string>> {
    return storageEngine === 'postgres' ? { DATABASE_URL: await freshDatabase() } : { DATA_DIR: tempDataDir() };
  }
  const migrate = (env: Record<string, string>) =>
    run(process.execPath, [join(root, 'functions', 'migrate.ts')], { cwd: root, env: { ...process.env, ...env } });

  it('applies every step on an empty database and says which; a second run has nothing to do', async () => {
    const env = await database();
    const first = await migrate(env);
    expect(first.stdout.trim()).toMatch(
      new RegExp(`^migrate: (PostgreSQL|SQLite) .+: applied ${names.join(', ')}; now at version ${latest}\\.$`),
    );
    // The printed address never carries the password.
    if (env.DATABASE_URL) expect(first.stdout).not.toContain(new URL(env.DATABASE_URL).password);
    const second = await migrate(env);
    expect(second.stdout).toContain(`up to date at version ${latest}, nothing to do.`);
  });

  it('three migrators at once: each step applied exactly once, all three succeed', async () => {
    const env = await database();
    const outputs = (await Promise.all([migrate(env), migrate(env), migrate(env)])).map((r) => r.stdout);
    const appliedBy = outputs.filter((out) => out.includes('applied'));
    expect(appliedBy.join('\n').match(/0001_offers/g)).toHaveLength(1);
    for (const name of names) expect(outputs.join('\n').split(name).length - 1).toBe(1);
    expect(outputs.every((out) => out.includes(`version ${latest}`))).toBe(true);
  });

  it('runs beside a live instance, which keeps answering', async () => {
    const env = await database();
    const config = loadConfig({});
    const portal = await startPortal(
      {
        ...config,
        port: 0,
        dataDir: env.DATA_DIR ?? tempDataDir(),
        databaseUrl: env.DATABASE_URL,
        delivery: { ...config.delivery, inProcess: false },
      },
      { log: silentLogger },
    );
    portals.push(portal);
    const { stdout } = await migrate(env);
    expect(stdout).toContain(`up to date at version ${latest}, nothing to do.`);
    expect((await fetch(`${portal.url}/api/health`)).status).toBe(200);
  });

  it('fails with a short message and exit code 1 when the database cannot be reached', async () => {
    const env: Record<string, string> =
      storageEngine === 'postgres'
        ? { DATABASE_URL: 'postgres://portal:secret@127.0.0.1:1/portal' }
        : { DATA_DIR: join(notAFolder(), 'data') };
    const failure = await migrate(env).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^migrate: failed/);
    expect(failure?.stderr).not.toContain('secret');
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
