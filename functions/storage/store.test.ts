import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { referencePattern } from '../offers/reference.ts';
import { engineMissing, engines, newOffer } from '../../tests/support/engines.ts';
import { storageEngine } from '../../tests/support/postgres.ts';
import { tempDataDir } from '../../tests/support/offers.ts';
import { loadMigrations } from './migrations.ts';
import { backupSqlite, databaseFile, migrateSqlite, openSqliteStore } from './sqlite.ts';

const at = (iso: string) => new Date(iso);

// Skipped only where no PostgreSQL server could be started (said loudly; fails under CI=true).
describe.skipIf(engineMissing).each(engines)('offer store on $name', (engine) => {
  it('stores an offer with a reference and its delivery jobs', async () => {
    const store = await engine.open();
    const { offer, outcome } = await store.saveOffer(newOffer());
    expect(outcome).toBe('created');
    expect(offer.reference).toMatch(referencePattern);
    expect(offer.payload?.name).toBe('Erika Mustermann');
    const jobs = await store.jobsOf(offer.id);
    expect(jobs.map((j) => `${j.channel}:${j.recipientKind}`)).toEqual([
      'email:coordinator',
      'email:carrier',
      'email:landlord',
      'webhook:carrier',
    ]);
    expect(jobs.every((j) => j.status === 'pending')).toBe(true);
    await store.close();
  });

  it('stores a submission id once: the same content is a duplicate, other content a conflict', async () => {
    const store = await engine.open();
    const first = await store.saveOffer(newOffer({ submissionId: 'same', contentHash: 'a' }));
    const again = await store.saveOffer(newOffer({ submissionId: 'same', contentHash: 'a' }));
    const changed = await store.saveOffer(newOffer({ submissionId: 'same', contentHash: 'b' }, { name: 'Anders' }));
    expect(again.outcome).toBe('duplicate');
    expect(changed.outcome).toBe('conflict');
    for (const r of [again, changed]) expect(r.offer.reference).toBe(first.offer.reference);
    expect(changed.offer.payload?.name).toBe('Erika Mustermann');
    expect(await store.countOffers()).toBe(1);
    expect(await store.jobsOf(first.offer.id)).toHaveLength(4);
    await store.close();
  });

  it('holds suspected spam without jobs, lists it without personal data, and releases it once', async () => {
    const store = await engine.open();
    const { offer } = await store.saveOffer(newOffer({ status: 'held', holdReason: 'too_fast' }));
    expect(offer.status).toBe('held');
    expect(await store.jobsOf(offer.id)).toEqual([]);
    const held = await store.heldOffers();
    expect(held).toEqual([
      { reference: offer.reference, receivedAt: offer.receivedAt, reason: 'too_fast', stadtteil: 'Kalk', rooms: 2.5 },
    ]);
    expect(JSON.stringify(held)).not.toContain('Erika');
    const deliveries = newOffer().deliveries;
    expect(await store.releaseHeld(offer.reference, deliveries, new Date())).toBe('released');
    expect(await store.releaseHeld(offer.reference, deliveries, new Date())).toBe('not_held');
    expect((await store.findByReference(offer.reference))?.status).toBe('received');
    expect(await store.jobsOf(offer.id)).toHaveLength(4);
    expect(await store.heldOffers()).toEqual([]);
    await store.close();
  });

  it('writes nothing when a delivery job fails to insert (one transaction)', async () => {
    const store = await engine.open();
    const broken = newOffer({
      deliveries: [{ channel: 'fax' as 'email', recipientKind: 'coordinator', recipientId: 'c', target: 'x' }],
    });
    await expect(store.saveOffer(broken)).rejects.toThrow();
    expect(await store.countOffers()).toBe(0);
    await store.close();
  });

  it('counts landlord confirmations per address (any case) within a window', async () => {
    const store = await engine.open();
    for (const day of ['2026-11-27T10:00:00Z', '2026-11-28T09:00:00Z', '2026-11-28T10:00:00Z']) {
      await store.saveOffer(
        newOffer({ receivedAt: at(day), submissionId: randomUUID() }, { email: 'Same@Example.org' }),
      );
    }
    expect(await store.landlordConfirmationsSince('same@example.org', at('2026-11-27T12:00:00Z'))).toBe(2);
    expect(await store.landlordConfirmationsSince('other@example.org', at('2026-11-01T00:00:00Z'))).toBe(0);
    await store.close();
  });

  describe('the delivery queue', () => {
    const now = at('2026-11-28T10:00:00Z');

    it('claims due jobs under a lease; another worker gets them only after it expires', async () => {
      const store = await engine.open();
      await store.saveOffer(newOffer({ receivedAt: now }));
      const first = await store.queue.claim({ now, leaseMs: 60_000, limit: 10, worker: 'a' });
      expect(first).toHaveLength(4);
      expect(first[0]!.attempts).toBe(1);
      expect(first[0]!.offer.payload?.email).toBe('erika.mustermann@example.org');
      expect(await store.queue.claim({ now, leaseMs: 60_000, limit: 10, worker: 'b' })).toEqual([]);
      const later = new Date(now.getTime() + 61_000);
      const taken = await store.queue.claim({ now: later, leaseMs: 60_000, limit: 10, worker: 'b' });
      expect(taken.map((j) => j.id).sort()).toEqual(first.map((j) => j.id).sort());
      expect(taken[0]!.attempts).toBe(2);
      await store.close();
    });

    it('records delivered, retry and dead in one go, and alerts each dead job once', async () => {
      const store = await engine.open();
      const { offer } = await store.saveOffer(newOffer({ receivedAt: now }));
      const [a, b, c] = await store.queue.claim({ now, leaseMs: 60_000, limit: 3, worker: 'w' });
      await store.queue.record([
        { id: a!.id, state: 'delivered', at: now, detail: 'ok' },
        { id: b!.id, state: 'retry', nextAttemptAt: new Date(now.getTime() + 30_000), detail: 'HTTP 503' },
        { id: c!.id, state: 'dead', at: now, detail: 'HTTP 404' },
      ]);
      const statuses = Object.fromEntries((await store.jobsOf(offer.id)).map((j) => [j.id, j.status]));
      expect([statuses[a!.id], statuses[b!.id], statuses[c!.id]]).toEqual(['delivered', 'pending', 'dead']);
      expect(await store.queue.dueCount(now)).toBe(1);
      expect(await store.queue.dueCount(new Date(now.getTime() + 30_000))).toBe(2);
      const dead = await store.queue.unalertedDead();
      expect(dead.map((d) => [d.id, d.reference, d.lastError])).toEqual([[c!.id, offer.reference, 'HTTP 404']]);
      await store.queue.markAlerted([c!.id], now);
      expect(await store.queue.unalertedDead()).toEqual([]);
      expect(await store.queue.health(new Date(now.getTime() + 90_000))).toEqual({
        pending: 2,
        dead: 1,
        oldestPendingSeconds: 90,
      });
      expect(await store.queue.retryDead('all', now)).toBe(1);
      expect(await store.queue.list('dead')).toEqual([]);
      await store.close();
    });

    it('hands back the claims of a worker that stops, without counting the attempt', async () => {
      const store = await engine.open();
      await store.saveOffer(newOffer({ receivedAt: now }));
      await store.queue.claim({ now, leaseMs: 600_000, limit: 2, worker: 'stopping' });
      expect(await store.queue.release('stopping')).toBe(2);
      const again = await store.queue.claim({ now, leaseMs: 60_000, limit: 10, worker: 'next' });
      expect(again).toHaveLength(4);
      expect(again.every((j) => j.attempts === 1)).toBe(true);
      await store.close();
    });
  });

  describe('retention', () => {
    const received = at('2026-01-01T10:00:00Z');
    const day = 24 * 3600 * 1000;

    it("erases personal data the period after the offer's life ended, once its deliveries are final; keeps the figures", async () => {
      const store = await engine.open();
      const { offer } = await store.saveOffer(newOffer({ receivedAt: received }));
      const jobs = await store.queue.claim({ now: received, leaseMs: 60_000, limit: 10, worker: 'w' });
      await store.queue.record(
        jobs.map((j) => ({ id: j.id, state: 'delivered' as const, at: received, detail: 'ok' })),
      );
      const cutoff = (d: Date) => ({ offerCutoff: d, heldCutoff: new Date(0), now: d });
      // Alive (open): kept however long ago it came.
      expect((await store.purge(cutoff(new Date(received.getTime() + 400 * day)))).erased).toBe(0);

      const ended = new Date(received.getTime() + 30 * day);
      const declined = await store.applyEvent({
        reference: offer.reference,
        action: 'not_suitable',
        actor: 'coordinator',
        from: ['open'],
        to: 'not_suitable',
        details: { reason: 'size' },
        deliveries: [],
        now: ended,
      });
      expect(declined.outcome).toBe('done');
      // Before the period has passed since the end: nothing happens.
      expect((await store.purge(cutoff(new Date(ended.getTime() - 1)))).erased).toBe(0);
      const result = await store.purge(cutoff(new Date(ended.getTime() + 1)));
      expect(result).toEqual({ erased: 1, heldErased: 0, references: [offer.reference] });
      const after = await store.findByReference(offer.reference);
      expect(after?.payload).toBeNull();
      expect(after?.erasedAt).not.toBeNull();
      expect(after?.stadtbezirk).toBe('Kalk');
      expect(after?.stage).toBe('not_suitable');
      expect((await store.jobsOf(offer.id)).find((j) => j.recipientKind === 'landlord')?.target).toBe('');
      // The events stay, for the figures.
      expect((await store.eventsOf(offer.id)).map((e) => e.action)).toEqual(['submitted', 'not_suitable']);
      // Erased once: a second run finds nothing.
      expect((await store.purge(cutoff(new Date(ended.getTime() + 2)))).erased).toBe(0);
      await store.close();
    });

    it('erases a withdrawn offer at once, as soon as the withdrawal has reached everyone', async () => {
      const store = await engine.open();
      const { offer } = await store.saveOffer(newOffer({ receivedAt: received }));
      const now = new Date(received.getTime() + day);
      await store.applyEvent({
        reference: offer.reference,
        action: 'withdrawn',
        actor: 'landlord',
        from: ['open'],
        to: 'withdrawn',
        deliveries: [
          { channel: 'email', recipientKind: 'coordinator', recipientId: 'coordinator', target: 'k@example.org' },
        ],
        now,
      });
      const far = new Date(0);
      // The withdrawal's mail (and the submission's) are still pending: not yet.
      expect((await store.purge({ offerCutoff: far, heldCutoff: far, now })).erased).toBe(0);
      const jobs = await store.queue.claim({ now, leaseMs: 60_000, limit: 10, worker: 'w' });
      await store.queue.record(jobs.map((j) => ({ id: j.id, state: 'delivered' as const, at: now, detail: 'ok' })));
      expect((await store.purge({ offerCutoff: far, heldCutoff: far, now })).references).toEqual([offer.reference]);
      await store.close();
    });

    it('keeps offers with deliveries still pending, and erases held offers after their own period', async () => {
      const store = await engine.open();
      const pending = await store.saveOffer(newOffer({ receivedAt: received }));
      const held = await store.saveOffer(newOffer({ receivedAt: received, status: 'held', holdReason: 'honeypot' }));
      const result = await store.purge({
        offerCutoff: new Date(received.getTime() + 400 * day),
        heldCutoff: new Date(received.getTime() + 1),
        now: new Date(received.getTime() + 400 * day),
      });
      expect(result).toEqual({ erased: 1, heldErased: 1, references: [held.offer.reference] });
      expect((await store.findByReference(pending.offer.reference))?.payload).not.toBeNull();
      expect(await store.heldOffers()).toEqual([]);
      await store.close();
    });
  });

  it('remembers markers', async () => {
    const store = await engine.open();
    expect(await store.marker('x')).toBeUndefined();
    await store.setMarker('x', '1');
    await store.setMarker('x', '2');
    expect(await store.marker('x')).toBe('2');
    await store.ping();
    await store.close();
  });
});

// The SQLite file itself: run in the SQLite projects only (the postgres project tests its engine above).
describe.skipIf(storageEngine === 'postgres')('SQLite specifics', () => {
  it('creates the schema in WAL mode, and migrating twice changes nothing', async () => {
    const dir = tempDataDir();
    await openSqliteStore(dir).close();
    const db = new DatabaseSync(databaseFile(dir));
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(migrateSqlite(db)).toBe(0);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual(loadMigrations('sqlite').map((m) => ({ version: m.version })));
    db.close();
  });

  it('upgrades a database of the first release (status "spam") without losing a row', async () => {
    const dir = tempDataDir();
    const db = new DatabaseSync(join(dir, 'offers.sqlite'));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const m of loadMigrations('sqlite').filter((m) => m.version <= 2)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(m.version, 'then');
    }
    const payload = JSON.stringify({ rooms: 2, livingSpace: 50, coldRent: 500, serviceCharges: 100, heatingCosts: 50 });
    db.prepare(
      `INSERT INTO offers (id, reference, submission_id, received_at, locale, status, spam_reason, routing_reason, payload)
       VALUES (1, 'AAAA-BBBB', 's1', '2026-01-01T00:00:00Z', 'de', 'received', NULL, 'r', ?),
              (2, 'CCCC-DDDD', 's2', '2026-01-01T00:00:00Z', 'de', 'spam', 'honeypot', 'r', ?)`,
    ).run(payload, payload);
    db.prepare(
      `INSERT INTO delivery_jobs (offer_id, channel, recipient_kind, recipient_id, target, next_attempt_at)
       VALUES (1, 'email', 'coordinator', 'coordinator', 'k@example.org', '2026-01-01T00:00:00Z')`,
    ).run();
    db.close();
    await openSqliteStore(dir).close();
    const check = new DatabaseSync(join(dir, 'offers.sqlite'));
    expect(
      check.prepare('SELECT reference, status, hold_reason, rooms, total_rent FROM offers ORDER BY id').all(),
    ).toEqual([
      { reference: 'AAAA-BBBB', status: 'received', hold_reason: null, rooms: 2, total_rent: 650 },
      { reference: 'CCCC-DDDD', status: 'held', hold_reason: 'honeypot', rooms: 2, total_rent: 650 },
    ]);
    expect(check.prepare('SELECT count(*) AS n FROM delivery_jobs').get()).toEqual({ n: 1 });
    expect(check.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    check.close();
  });

  it('keeps the data folder and its files private to the portal user (0700/0600)', async () => {
    const dir = tempDataDir();
    const store = openSqliteStore(dir);
    await store.saveOffer(newOffer());
    await store.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir).filter((f) => f.startsWith('offers.sqlite'))) {
      expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
    }
  });

  it('erases personal data from the bytes on disk, the WAL included, not just from query results', async () => {
    const dir = tempDataDir();
    const store = openSqliteStore(dir);
    const canaries = [
      'Kanarienname-7731',
      'kanarien-7731@example.org',
      'Kanarienstraße-7731',
      'Kanarienbeschreibung-7731',
    ];
    const { offer } = await store.saveOffer(
      newOffer({}, { name: canaries[0], email: canaries[1], street: canaries[2], description: canaries[3] }),
    );
    await store.applyEvent({
      reference: offer.reference,
      action: 'withdrawn',
      actor: 'landlord',
      from: ['open'],
      to: 'withdrawn',
      deliveries: [],
      now: new Date(),
    });
    const jobs = await store.queue.claim({ now: new Date(), leaseMs: 1000, limit: 10, worker: 'w' });
    await store.queue.record(
      jobs.map((j) => ({ id: j.id, state: 'delivered' as const, at: new Date(), detail: 'ok' })),
    );
    const raw = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('offers.sqlite'))
        .map((f) => readFileSync(join(dir, f)).toString('latin1'))
        .join('');
    expect(raw()).toContain(canaries[0]);
    const far = new Date(Date.now() + 1000 * 24 * 3600 * 1000);
    expect((await store.purge({ offerCutoff: far, heldCutoff: far, now: far })).references).toEqual([offer.reference]);
    for (const canary of canaries) expect(raw(), canary).not.toContain(canary);
    await store.close();
    for (const canary of canaries) expect(raw(), canary).not.toContain(canary);
  });

  it('writes a consistent backup of the live database, private to the owner', async () => {
    const dir = tempDataDir();
    const store = openSqliteStore(dir);
    const { offer } = await store.saveOffer(newOffer());
    const file = join(tempDataDir(), 'backup.sqlite');
    expect(await backupSqlite(dir, file)).toBeGreaterThan(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const copy = new DatabaseSync(file, { readOnly: true });
    expect(copy.prepare('SELECT reference FROM offers').all()).toEqual([{ reference: offer.reference }]);
    copy.close();
    await store.close();
  });
});

// Several instances on one database: only where the engine is PostgreSQL (the postgres project).
describe.skipIf(storageEngine !== 'postgres' || engineMissing !== undefined)(
  'PostgreSQL: instances sharing one database',
  () => {
    it('migrate once when three instances start together, store a submission once across them, claim disjoint jobs', async () => {
      const { freshDatabase } = await import('../../tests/support/postgres.ts');
      const { openPostgresStore } = await import('./postgres.ts');
      const url = await freshDatabase();
      const instances = await Promise.all([1, 2, 3].map(() => openPostgresStore(url, { max: 4 })));
      try {
        const offer = newOffer({ submissionId: 'shared', contentHash: 'same' });
        const saved = await Promise.all(
          Array.from({ length: 30 }, (_, i) => instances[i % 3]!.saveOffer({ ...offer, receivedAt: new Date() })),
        );
        expect(saved.filter((s) => s.outcome === 'created')).toHaveLength(1);
        expect(new Set(saved.map((s) => s.offer.reference)).size).toBe(1);
        for (let i = 0; i < 20; i++) await instances[i % 3]!.saveOffer(newOffer({ receivedAt: new Date(0) }));
        const now = new Date();
        const claims = await Promise.all(
          instances.flatMap((store, i) =>
            [0, 1].map((j) => store.queue.claim({ now, leaseMs: 60_000, limit: 15, worker: `w${i}.${j}` })),
          ),
        );
        const ids = claims.flat().map((job) => job.id);
        // 21 offers with 4 jobs each, claimed by six workers at once: each job exactly once.
        expect(ids).toHaveLength(84);
        expect(new Set(ids).size).toBe(84);
      } finally {
        await Promise.all(instances.map((s) => s.close()));
      }
    });
  },
);
