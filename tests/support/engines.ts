import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../../functions/storage/sqlite.ts';
import { openPostgresStore } from '../../functions/storage/postgres.ts';
import { freshDatabase, postgresMissing, storageEngine } from './postgres.ts';
import type { NewOffer, OfferStore } from '../../functions/storage/types.ts';
import type { Offer } from '../../src/schemas/offer.ts';
import { tempDataDir, validOffer } from './offers.ts';

/**
 * The storage engine a suite runs against, with a fresh, empty store per call: SQLite in every
 * project, PostgreSQL in the `postgres` project (vitest.config.ts lists the engine suites in
 * both). Where no PostgreSQL server could be started, the postgres project has no engine: its
 * suites are skipped, loudly (tests/support/postgres-server.ts), and under CI=true that fails.
 */
export interface Engine {
  name: 'sqlite' | 'postgres';
  open(): Promise<OfferStore & { dataDir?: string }>;
}

export const sqliteEngine: Engine = {
  name: 'sqlite',
  async open() {
    const dataDir = tempDataDir();
    return Object.assign(openSqliteStore(dataDir), { dataDir });
  },
};

export const postgresEngine: Engine = {
  name: 'postgres',
  async open() {
    return openPostgresStore(await freshDatabase(), { max: 4 });
  },
};

export const engines: Engine[] = storageEngine === 'postgres' ? [postgresEngine] : [sqliteEngine];

/** Why the engine cannot be tested here (no PostgreSQL server), for `describe.skipIf`. */
export const engineMissing: string | undefined = storageEngine === 'postgres' ? postgresMissing : undefined;

/** A stored offer as the intake would hand it to the store. */
export function newOffer(overrides: Partial<NewOffer> = {}, offer: Record<string, unknown> = {}): NewOffer {
  const payload = validOffer(offer) as unknown as Offer;
  return {
    submissionId: payload.submissionId,
    contentHash: `hash-${randomUUID()}`,
    locale: 'de',
    receivedAt: new Date('2026-11-28T10:00:00Z'),
    status: 'received',
    stadtbezirk: 'Kalk',
    carrierId: 'fluechtlingsrat',
    routingReason: 'test',
    payload,
    figures: { rooms: 2.5, livingSpace: 62, coldRent: 650, totalRent: 920 },
    deliveries: [
      {
        channel: 'email',
        recipientKind: 'coordinator',
        recipientId: 'coordinator',
        target: 'koordination@example.org',
      },
      { channel: 'email', recipientKind: 'carrier', recipientId: 'fluechtlingsrat', target: 'fr@example.org' },
      { channel: 'email', recipientKind: 'landlord', recipientId: 'landlord', target: String(payload.email) },
      {
        channel: 'webhook',
        recipientKind: 'carrier',
        recipientId: 'fluechtlingsrat',
        target: 'https://fr.example.org/hook',
      },
    ],
    ...overrides,
  };
}
