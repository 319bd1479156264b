import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { freshDatabase, postgresMissing, storageEngine } from '../support/postgres.ts';

/**
 * Proves the test harness and the two PostgreSQL features the store's queue relies on, on the
 * real server that tests/support/postgres-server.ts started (or TEST_DATABASE_URL).
 */
describe.skipIf(postgresMissing)('PostgreSQL test server', () => {
  let url: string;
  const clients: Sql[] = [];
  const connect = (to = url) => {
    const sql = postgres(to, { max: 1, onnotice: () => {} });
    clients.push(sql);
    return sql;
  };

  beforeAll(async () => {
    url = await freshDatabase();
  });
  afterAll(async () => {
    await Promise.all(clients.map((sql) => sql.end()));
  });

  it('is a real PostgreSQL server, and this project tests the postgres engine', async () => {
    expect(storageEngine).toBe('postgres');
    const [row] = await connect()<{ version: string; db: string }[]>`
      SELECT version() AS version, current_database() AS db`;
    expect(row.version).toMatch(/^PostgreSQL \d+/);
    expect(url).toMatch(/^postgres:\/\//);
    expect(new URL(url).pathname).toMatch(/^\/t_[0-9a-f]{8}_[0-9a-f]{12}$/);
    expect(row.db).toBe(new URL(url).pathname.slice(1));
  });

  it('gives every caller its own empty database', async () => {
    const other = await freshDatabase();
    expect(other).not.toBe(url);
    await connect()`CREATE TABLE only_here (id int)`;
    const countTables = (sql: Sql) => sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`;
    expect(await countTables(connect())).toEqual([{ n: 1 }]);
    expect(await countTables(connect(other))).toEqual([{ n: 0 }]);
  });

  it('SELECT … FOR UPDATE SKIP LOCKED: two connections claim disjoint jobs while both hold their locks', async () => {
    const setup = connect();
    await setup`CREATE TABLE jobs (id int PRIMARY KEY, claimed_by text)`;
    await setup`INSERT INTO jobs SELECT g, NULL FROM generate_series(1, 10) AS g`;
    const claim = (sql: TransactionSql, worker: string) =>
      sql<{ id: number }[]>`
        UPDATE jobs SET claimed_by = ${worker}
        WHERE id IN (SELECT id FROM jobs WHERE claimed_by IS NULL ORDER BY id LIMIT 3 FOR UPDATE SKIP LOCKED)
        RETURNING id`.then((rows) => rows.map((r) => r.id).sort((a, b) => a - b));

    const a = connect();
    const b = connect();
    let claimedByB: number[] = [];
    // A claims and keeps its transaction open while B claims: without SKIP LOCKED, B would wait
    // for A's row locks (lock_timeout turns that into an error instead of a hang).
    const claimedByA = await a.begin(async (txA) => {
      const mine = await claim(txA, 'a');
      claimedByB = await b.begin(async (txB) => {
        await txB`SET LOCAL lock_timeout = '5s'`;
        return claim(txB, 'b');
      });
      return mine;
    });

    expect(claimedByA).toEqual([1, 2, 3]);
    expect(claimedByB).toEqual([4, 5, 6]);
    const rows = await setup<{ claimed_by: string | null; n: number }[]>`
      SELECT claimed_by, count(*)::int AS n FROM jobs GROUP BY claimed_by ORDER BY claimed_by NULLS LAST`;
    expect(rows).toEqual([
      { claimed_by: 'a', n: 3 },
      { claimed_by: 'b', n: 3 },
      { claimed_by: null, n: 4 },
    ]);
  });

  it('SKIP LOCKED under load: four workers drain 200 jobs, every job claimed exactly once', async () => {
    const setup = connect();
    await setup`CREATE TABLE queue (id int PRIMARY KEY, claims int NOT NULL DEFAULT 0, worker int)`;
    await setup`INSERT INTO queue (id) SELECT g FROM generate_series(1, 200) AS g`;
    const work = async (worker: number) => {
      const sql = connect();
      let done = 0;
      for (;;) {
        const rows = await sql.begin(async (tx) => {
          const claimed = await tx<{ id: number }[]>`
            SELECT id FROM queue WHERE worker IS NULL ORDER BY id LIMIT 5 FOR UPDATE SKIP LOCKED`;
          if (claimed.length === 0) return claimed;
          await tx`UPDATE queue SET claims = claims + 1, worker = ${worker}
                   WHERE id IN ${tx(claimed.map((r) => r.id))}`;
          return claimed;
        });
        if (rows.length === 0) return done;
        done += rows.length;
      }
    };
    const counts = await Promise.all([1, 2, 3, 4].map(work));

    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(200);
    const [summary] = await setup<{ unclaimed: number; twice: number }[]>`
      SELECT count(*) FILTER (WHERE worker IS NULL)::int AS unclaimed,
             count(*) FILTER (WHERE claims <> 1)::int AS twice
      FROM queue`;
    expect(summary).toEqual({ unclaimed: 0, twice: 0 });
  });

  it('pg_advisory_xact_lock serialises two migrators: the second waits, then sees the first one’s work', async () => {
    const setup = connect();
    await setup`CREATE TABLE schema_migrations (version int PRIMARY KEY)`;
    const lockKey = 4_242;
    // One migrator: take the lock, apply version 1 if it is missing. `beforeApplying` lets the
    // test hold the first migrator inside its locked transaction.
    const migrate = (sql: Sql, beforeApplying: () => Promise<void>) =>
      sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${lockKey})`;
        await beforeApplying();
        const [{ applied }] = await tx<{ applied: boolean }[]>`
          SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = 1) AS applied`;
        if (applied) return 'skipped';
        await tx`INSERT INTO schema_migrations (version) VALUES (1)`;
        return 'applied';
      });

    const first = connect();
    const second = connect();
    const observer = connect();
    const [{ pid: secondPid }] = await second<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstHasLock!: () => void;
    const locked = new Promise<void>((resolve) => (firstHasLock = resolve));
    const firstRun = migrate(first, () => {
      firstHasLock();
      return held;
    });
    await locked;
    let secondEntered = false;
    const secondRun = migrate(second, async () => {
      secondEntered = true;
    });

    try {
      // The second migrator must be waiting for the advisory lock (not merely slow): poll the
      // server's lock table until its backend shows up as waiting.
      let waiting = false;
      for (let i = 0; i < 100 && !waiting; i++) {
        const rows = await observer`
          SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid = ${secondPid}`;
        waiting = rows.length === 1;
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(waiting).toBe(true);
      expect(secondEntered).toBe(false);
    } finally {
      release();
    }
    expect(await firstRun).toBe('applied');
    expect(await secondRun).toBe('skipped');
    expect(await setup`SELECT version FROM schema_migrations`).toEqual([{ version: 1 }]);
  });
});
