import type { APIRoute } from 'astro';
import { portalOf } from '../../lib/portal.ts';
import { scrub } from '../../../functions/lib/log.ts';

/**
 * GET /api/health: for load balancers, container health checks and monitoring. Rendered on demand
 * on every platform through `Astro.locals.portal.store`.
 *
 * 200 when the storage answers, with the delivery queue's state: pending and dead jobs and how
 * long the oldest pending job has been due (a growing age means no worker delivers). 503 when the
 * storage cannot be reached, or does not answer within a few seconds (a health check that hangs
 * helps nobody). Counts and seconds only: no reference, no address, nothing about an offer.
 */
export const prerender = false;

/** Longer than a healthy database ever needs, shorter than a load balancer's check timeout. */
const storageTimeoutMs = 3000;

const answer = (status: 200 | 503, body: object) =>
  new Response(`${JSON.stringify(body)}\n`, {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(status === 503 ? { 'Retry-After': '5' } : {}),
    },
  });

export const GET: APIRoute = async ({ locals }) => {
  const { store, log } = portalOf(locals);
  const checkedAt = new Date();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const queue = await Promise.race([
      store.ping().then(() => store.queue.health(checkedAt)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${storageTimeoutMs} ms`)), storageTimeoutMs);
      }),
    ]);
    return answer(200, {
      status: 'ok',
      storage: { engine: store.engine, reachable: true },
      deliveries: {
        pending: queue.pending,
        dead: queue.dead,
        oldestPendingSeconds: queue.oldestPendingSeconds,
      },
      checkedAt: checkedAt.toISOString(),
    });
  } catch (error) {
    log('health.storage_unavailable', { engine: store.engine, detail: scrub(error) });
    return answer(503, {
      status: 'unavailable',
      storage: { engine: store.engine, reachable: false },
      checkedAt: checkedAt.toISOString(),
    });
  } finally {
    clearTimeout(timer);
  }
};
