import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { validOffer } from '../../tests/support/offers.ts';
import { percentile, spread, type Spread } from './stats.ts';
import { fileSystemOf } from './machine.ts';

/**
 * The machine's limit for durable offers: how many single-row SQLite transactions per second
 * this disk commits with the store's settings (node:sqlite, WAL, synchronous=FULL, one INSERT of
 * an offer-sized row per transaction), in a folder on the same file system as the portal's
 * DATA_DIR. The handler cannot accept offers faster than this, because each offer is one such
 * commit (plus validation, routing, HTTP).
 */
export interface CommitRateResult {
  perSecond: Spread;
  runs: number[];
  /** Latency of one commit over all runs, in ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rowBytes: number;
  fileSystem: string;
  sameFileSystemAsDataDir: boolean;
}

export function measureCommitRate(dir: string, dataDir: string, runs: number, seconds: number): CommitRateResult {
  const db = new DatabaseSync(join(dir, 'commits.sqlite'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, submission_id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO rows (submission_id, payload) VALUES (?, ?)');
  const payload = JSON.stringify(validOffer());
  const rates: number[] = [];
  const latencies: number[] = [];
  let n = 0;
  try {
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      let commits = 0;
      for (;;) {
        const t = performance.now();
        if (t - started >= seconds * 1000) break;
        db.exec('BEGIN IMMEDIATE');
        insert.run(`bench-${n++}`, payload);
        db.exec('COMMIT');
        latencies.push(performance.now() - t);
        commits++;
      }
      rates.push(commits / ((performance.now() - started) / 1000));
    }
  } finally {
    db.close();
  }
  return {
    perSecond: spread(rates),
    runs: rates,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    rowBytes: payload.length,
    fileSystem: fileSystemOf(dir),
    sameFileSystemAsDataDir: statSync(dir).dev === statSync(dataDir).dev,
  };
}
