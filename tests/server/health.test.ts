import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import postgres from 'postgres';
import { startPortal, type Portal } from '../../functions/server.ts';
import { loadConfig } from '../../functions/config.ts';
import { silentLogger } from '../../functions/lib/log.ts';
import type { OfferStore } from '../../functions/storage/types.ts';
import type { PortalContext } from '../../functions/platform.ts';
import { GET } from '../../src/pages/api/health.ts';
import { engineMissing, newOffer } from '../support/engines.ts';
import { freshDatabase, storageEngine } from '../support/postgres.ts';
import { tempDataDir } from '../support/offers.ts';

/**
 * GET /api/health through the real server and the built route, once per storage engine (this file
 * is in the `site` and the `postgres` project): counts when the storage answers, 503 when it is
 * gone, and never anything about an offer.
 */
describe.skipIf(engineMissing)(`GET /api/health on ${storageEngine}`, () => {
  let portal: Portal;
  let databaseUrl: string | undefined;
  const landlord = { name: 'Hildegard Gesundheitsprüfung', email: 'hildegard.health@example.org' };
  let reference = '';

  beforeAll(async () => {
    databaseUrl = storageEngine === 'postgres' ? await freshDatabase() : undefined;
    const config = loadConfig({});
    portal = await startPortal(
      {
        ...config,
        port: 0,
        dataDir: tempDataDir(),
        databaseUrl,
        // No worker: the jobs stay where the test puts them.
        delivery: { ...config.delivery, inProcess: false },
      },
      { log: silentLogger },
    );
    const { store } = portal.services;
    // Two offers, two minutes old, four jobs each; one job goes to dead letter.
    const receivedAt = new Date(Date.now() - 120_000);
    for (const submissionId of ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']) {
      const saved = await store.saveOffer(newOffer({ submissionId, receivedAt }, { submissionId, ...landlord }));
      reference = saved.offer.reference;
    }
    const [job] = await store.queue.claim({ now: new Date(), leaseMs: 60_000, limit: 1, worker: 'test' });
    await store.queue.record([{ id: job!.id, state: 'dead', at: new Date(), detail: 'test' }]);
  });
  afterAll(() => portal?.close());

  it('200 with the queue in figures: pending, dead, age of the oldest pending job; never cached', async () => {
    const response = await fetch(`${portal.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({
      status: 'ok',
      storage: { engine: storageEngine, reachable: true },
      deliveries: { pending: 7, dead: 1, oldestPendingSeconds: expect.any(Number) },
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(body.deliveries.oldestPendingSeconds).toBeGreaterThanOrEqual(120);
    expect(body.deliveries.oldestPendingSeconds).toBeLessThan(120 + 60);
    // With and without the trailing slash, and for HEAD (load balancers use either).
    expect((await fetch(`${portal.url}/api/health/`)).status).toBe(200);
    const head = await fetch(`${portal.url}/api/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('says nothing about any offer: no reference, name, address or e-mail', async () => {
    const text = await (await fetch(`${portal.url}/api/health`)).text();
    expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    for (const personal of [reference, landlord.name, landlord.email, 'Kalk', 'Erika', '@']) {
      expect(text).not.toContain(personal);
    }
  });

  it('503 when the storage is gone, without the error in the answer', async () => {
    if (databaseUrl) {
      // The database disappears under the running portal (a dropped or wrong database).
      const admin = new URL(databaseUrl);
      const name = admin.pathname.slice(1);
      admin.pathname = '/postgres';
      const sql = postgres(admin.href, { max: 1, onnotice: () => {} });
      await sql.unsafe(`DROP DATABASE "${name}" WITH (FORCE)`);
      await sql.end();
    } else {
      await portal.services.store.close();
    }
    const response = await fetch(`${portal.url}/api/health`);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('retry-after')).toBe('5');
    const body = await response.json();
    expect(body).toEqual({
      status: 'unavailable',
      storage: { engine: storageEngine, reachable: false },
      checkedAt: expect.any(String),
    });
  });
});

describe('GET /api/health when the storage does not answer at all', () => {
  it('gives up after three seconds with 503 instead of hanging', async () => {
    const logged: string[] = [];
    const hanging = {
      engine: 'postgres',
      ping: () => new Promise<void>(() => {}),
      queue: { health: () => new Promise(() => {}) },
    } as unknown as OfferStore;
    const portal = { store: hanging, log: (event: string) => logged.push(event) } as unknown as PortalContext;
    vi.useFakeTimers();
    try {
      let settled = false;
      const answer = Promise.resolve(GET({ locals: { portal } } as unknown as Parameters<typeof GET>[0])).finally(
        () => (settled = true),
      );
      await vi.advanceTimersByTimeAsync(2999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const response = await answer;
      expect(response.status).toBe(503);
      expect(logged).toEqual(['health.storage_unavailable']);
    } finally {
      vi.useRealTimers();
    }
  });
});
