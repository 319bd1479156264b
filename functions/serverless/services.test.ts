import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../lib/log.ts';
import { openSqliteStore } from '../storage/sqlite.ts';
import { scheduledRun, serverlessServices, unconfiguredMail, type PlatformParts } from './services.ts';

/**
 * What Cloudflare's (and Netlify's) entries share: services built from the platform's environment,
 * and the scheduled run that replaces Node's worker. The Worker itself runs in
 * tests/cloudflare/; these check the rules without a runtime.
 */
function parts(): PlatformParts {
  return {
    store: openSqliteStore(mkdtempSync(join(tmpdir(), 'portal-serverless-'))),
    mail: unconfiguredMail('SENDGRID_API_KEY'),
    rateLimiter: { take: () => ({ ok: true }) },
    log: silentLogger,
    workerId: 'test',
  };
}
const linkSecret = 'serverless-test-link-secret-0123456789';

describe('serverless services', () => {
  it('refuse to start without LINK_SECRET: there is no DATA_DIR to keep a generated one', async () => {
    const p = parts();
    expect(() => serverlessServices(loadConfig({}), p)).toThrow(/LINK_SECRET must be set as a secret of the platform/);
    await p.store.close();
  });

  it('sign the action links with LINK_SECRET', async () => {
    const services = serverlessServices(loadConfig({ LINK_SECRET: linkSecret }), parts());
    const token = services.links.sign({ reference: 'ABCD-EFGH', action: 'withdraw', actor: 'landlord', expires: 2e9 });
    expect(services.links.verify(token, new Date()).ok).toBe(true);
    await services.close();
  });

  it('run what `npm run deliver` runs, in its order: schedule, delivery, maintenance', async () => {
    const services = serverlessServices(loadConfig({ LINK_SECRET: linkSecret }), parts());
    const steps: string[] = [];
    const { lifecycle, worker, store } = services;
    const runSchedule = lifecycle.runSchedule;
    lifecycle.runSchedule = async (...args) => {
      steps.push('schedule');
      return runSchedule(...args);
    };
    const drain = worker.drain;
    worker.drain = async (...args) => {
      steps.push('drain');
      return drain(...args);
    };
    const purge = store.purge.bind(store);
    store.purge = async (...args) => {
      steps.push('purge');
      return purge(...args);
    };
    const heldOffers = store.heldOffers.bind(store);
    store.heldOffers = async () => {
      steps.push('held_digest');
      return heldOffers();
    };
    const result = await scheduledRun(services, { maxJobs: 24, budgetMs: 60_000 });
    expect(steps).toEqual(['schedule', 'drain', 'schedule', 'purge', 'held_digest']);
    expect(result).toMatchObject({ claimed: 0, due: 0 });
    await services.close();
  });
});
