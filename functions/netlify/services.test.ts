import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../storage/migrations.ts';
import { builtInMigrations } from './migrations.ts';
import { netlifyServices } from './services.ts';

describe('the Netlify services', () => {
  it('carry the same PostgreSQL migrations that Node reads from functions/storage/migrations/postgres', () => {
    expect(builtInMigrations.map((m) => m.version)).toContain(5);
    expect(builtInMigrations).toEqual(loadMigrations('postgres'));
  });

  it('refuse to start without DATABASE_URL or LINK_SECRET, before connecting anywhere', async () => {
    await expect(netlifyServices({ LINK_SECRET: 'l'.repeat(32) })).rejects.toThrow(/DATABASE_URL must be set/);
    // Port 1 of loopback: a connection attempt would fail differently; the secret is checked first.
    await expect(netlifyServices({ DATABASE_URL: 'postgres://127.0.0.1:1/portal' })).rejects.toThrow(
      /LINK_SECRET must be set/,
    );
    // Netlify Database's variable counts as a database too, and needs the secret just the same.
    await expect(netlifyServices({ NETLIFY_DB_URL: 'postgres://127.0.0.1:1/portal' })).rejects.toThrow(
      /LINK_SECRET must be set/,
    );
    await expect(
      netlifyServices({ DATABASE_URL: 'postgres://127.0.0.1:1/portal', LINK_SECRET: 'too-short' }),
    ).rejects.toThrow(/LINK_SECRET must be at least 32 characters/);
  });
});
