import { describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { migrate, migrations, openOfferStore, type NewOffer } from './store.ts';
import { referencePattern } from './reference.ts';
import { tempDataDir } from '../../tests/support/offers.ts';

const newOffer = (overrides: Partial<NewOffer> = {}): NewOffer => ({
  submissionId: randomUUID(),
  locale: 'de',
  receivedAt: new Date('2026-11-28T10:00:00Z'),
  status: 'received',
  stadtbezirk: 'Kalk',
  carrierId: 'fluechtlingsrat',
  routingReason: 'test',
  payload: { name: 'Erika' },
  deliveries: [
    { channel: 'email', recipientKind: 'coordinator', recipientId: 'coordinator', target: 'koordination@example.org' },
    { channel: 'email', recipientKind: 'carrier', recipientId: 'fluechtlingsrat', target: 'fr@example.org' },
    { channel: 'email', recipientKind: 'landlord', recipientId: 'landlord', target: 'erika@example.org' },
    {
      channel: 'webhook',
      recipientKind: 'carrier',
      recipientId: 'fluechtlingsrat',
      target: 'https://fr.example.org/hook',
    },
  ],
  ...overrides,
});

describe('offer store (real SQLite file)', () => {
  it('creates the schema in WAL mode with full fsync, and migrating twice changes nothing', () => {
    const dir = tempDataDir();
    const store = openOfferStore(dir);
    expect(store.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(store.db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    expect(migrate(store.db)).toBe(0);
    const versions = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual(migrations.map((m) => ({ version: m.version })));
    store.close();
  });

  it('stores an offer with a reference and its delivery jobs', () => {
    const store = openOfferStore(tempDataDir());
    const { offer, created } = store.saveOffer(newOffer());
    expect(created).toBe(true);
    expect(offer.reference).toMatch(referencePattern);
    expect(offer.payload).toEqual({ name: 'Erika' });
    const jobs = store.deliveryJobs(offer.id);
    expect(jobs.map((j) => `${j.channel}:${j.recipientKind}`)).toEqual([
      'email:coordinator',
      'email:carrier',
      'email:landlord',
      'webhook:carrier',
    ]);
    expect(jobs.every((j) => j.status === 'pending')).toBe(true);
    store.close();
  });

  it('stores a submission id once and returns the first offer for repeats', () => {
    const store = openOfferStore(tempDataDir());
    const first = store.saveOffer(newOffer({ submissionId: 'same' }));
    const again = store.saveOffer(newOffer({ submissionId: 'same', payload: { name: 'changed' } }));
    expect(again.created).toBe(false);
    expect(again.offer.reference).toBe(first.offer.reference);
    expect(again.offer.payload).toEqual({ name: 'Erika' });
    expect(store.countOffers()).toBe(1);
    expect(store.deliveryJobs(first.offer.id)).toHaveLength(4);
    store.close();
  });

  it('keeps spam for the record but gives it no delivery jobs', () => {
    const store = openOfferStore(tempDataDir());
    const { offer } = store.saveOffer(newOffer({ status: 'spam', spamReason: 'honeypot' }));
    expect(offer.status).toBe('spam');
    expect(store.deliveryJobs(offer.id)).toEqual([]);
    store.close();
  });

  it('writes nothing when a delivery job fails to insert (one transaction)', () => {
    const store = openOfferStore(tempDataDir());
    const broken = newOffer({
      deliveries: [{ channel: 'fax' as 'email', recipientKind: 'coordinator', recipientId: 'c', target: 'x' }],
    });
    expect(() => store.saveOffer(broken)).toThrow();
    expect(store.countOffers()).toBe(0);
    store.close();
  });

  it('is readable by a second connection after the commit (the file is the truth)', () => {
    const dir = tempDataDir();
    const store = openOfferStore(dir);
    const { offer } = store.saveOffer(newOffer());
    const other = new DatabaseSync(join(dir, 'offers.sqlite'));
    expect(other.prepare('SELECT reference FROM offers').get()).toEqual({ reference: offer.reference });
    other.close();
    store.close();
  });
});
