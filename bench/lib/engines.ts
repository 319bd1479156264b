import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import postgres from 'postgres';
import { startTemporary } from '../../tests/support/postgres-server.ts';

/**
 * The two storage engines the benchmark compares: SQLite in the portal's DATA_DIR (the default)
 * and PostgreSQL (DATABASE_URL). PostgreSQL is a throwaway server of this machine's Debian
 * binaries in a temp folder, started the way the tests start theirs (tests/support/
 * postgres-server.ts) but DURABLE: fsync and synchronous_commit on, as SQLite runs with
 * synchronous=FULL, so both engines pay for a flushed commit per offer. Every measurement gets a
 * new database.
 */
export type EngineName = 'sqlite' | 'postgres';

export interface Counts {
  offers: number;
  received: number;
  jobs: Record<string, number>;
}

export interface Engine {
  name: EngineName;
  label: string;
  /** Environment for a portal or worker process using a fresh store for `dataDir`. */
  env(dataDir: string): Promise<Record<string, string>>;
  /** Rows in the store of that environment. */
  counts(env: Record<string, string>): Promise<Counts>;
  stop(): Promise<void>;
}

const sqlite: Engine = {
  name: 'sqlite',
  label: 'SQLite',
  env: async (dataDir) => ({ DATA_DIR: dataDir }),
  async counts(env) {
    const db = new DatabaseSync(join(env.DATA_DIR!, 'offers.sqlite'), { readOnly: true });
    try {
      const one = (query: string) => Number((db.prepare(query).get() as { n: number }).n);
      const jobs: Record<string, number> = {};
      for (const row of db.prepare('SELECT status, count(*) AS n FROM delivery_jobs GROUP BY status').all()) {
        jobs[String(row.status)] = Number(row.n);
      }
      return {
        offers: one('SELECT count(*) AS n FROM offers'),
        received: one("SELECT count(*) AS n FROM offers WHERE status = 'received'"),
        jobs,
      };
    } finally {
      db.close();
    }
  },
  stop: async () => {},
};

async function startPostgresEngine(): Promise<Engine> {
  const server = await startTemporary(randomBytes(4).toString('hex'), { durable: true });
  if (!('adminUrl' in server.info)) throw new Error('PostgreSQL did not start');
  const adminUrl = server.info.adminUrl;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  // One secret for the whole run: required with DATABASE_URL (functions/config.ts).
  const linkSecret = randomBytes(32).toString('base64');
  let made = 0;
  return {
    name: 'postgres',
    label: 'PostgreSQL',
    async env(dataDir) {
      const name = `bench_${++made}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return { DATA_DIR: dataDir, DATABASE_URL: url.href, LINK_SECRET: linkSecret };
    },
    async counts(env) {
      const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        const [row] = await sql`
          SELECT count(*) AS offers, count(*) FILTER (WHERE status = 'received') AS received FROM offers`;
        const jobs: Record<string, number> = {};
        for (const r of await sql`SELECT status, count(*) AS n FROM delivery_jobs GROUP BY status`) {
          jobs[String(r.status)] = Number(r.n);
        }
        return { offers: Number(row!.offers), received: Number(row!.received), jobs };
      } finally {
        await sql.end();
      }
    },
    async stop() {
      await admin.end();
      await server.stop();
    },
  };
}

/** The engines to measure, in order; PostgreSQL may be missing on this machine (then it throws). */
export async function startEngine(name: EngineName): Promise<Engine> {
  return name === 'sqlite' ? sqlite : startPostgresEngine();
}
