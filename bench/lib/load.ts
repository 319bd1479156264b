import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { validOffer } from '../../tests/support/offers.ts';
import { percentile, sleep } from './stats.ts';
import { cpuSeconds } from './processes.ts';

/**
 * Load on POST /api/offers, every request a new valid offer with its own submissionId (so each
 * one is a new durable commit, never a duplicate). Two generators:
 *
 * - autocannon (as asked): fixed overall rates and saturation. Its rate limit is per second: each
 *   connection sends its share back-to-back at the start of every second, then waits. At a fixed
 *   rate the server therefore sees bursts of up to `connections` simultaneous posts.
 * - paced (ours, open loop): the same rates with evenly spaced arrivals, whatever the answers do,
 *   which is what independent landlords look like. Its latency is free of burst queueing.
 *
 * Latency is each answer's own round trip (autocannon's per-response time, or ours), taken over
 * the 2xx answers, so neither generator's histogram corrections apply.
 */

export interface LoadLevel {
  name: string;
  generator: 'autocannon' | 'paced';
  targetRate?: number;
  connections?: number;
  seconds: number;
  /** Requests answered or failed (autocannon's own "sent" counter over-counts under a rate limit). */
  sent: number;
  accepted: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  acceptedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statusCodes: Record<string, number>;
  /** CPU the server process used during this level, in % of one core, and per accepted offer. */
  serverCpuPercent?: number;
  serverCpuMsPerOffer?: number;
  /** paced only: how late the generator sent (p99), a check that it kept its schedule. */
  scheduleLagP99Ms?: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): void;
  on(event: 'done', listener: (result: AutocannonResult) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function offerRequest(baseUrl: string) {
  return {
    method: 'POST',
    path: '/api/offers',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    // A fresh offer (new submissionId) for every single request.
    setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify(validOffer()) }),
  };
}

export interface AutocannonRun {
  level: LoadLevel;
  /** ms from the start to the last 2xx answer. */
  lastAcceptedAfterMs: number;
}

/** Runs one load level and adds the server's CPU use (from /proc) to its figures. */
export async function withServerCpu<T extends { level: LoadLevel } | LoadLevel>(
  pid: number,
  run: () => Promise<T>,
): Promise<T> {
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  const result = await run();
  const cpu = cpuSeconds(pid) - cpuBefore;
  const wall = (performance.now() - started) / 1000;
  const level: LoadLevel = 'generator' in result ? result : result.level;
  level.serverCpuPercent = (cpu / wall) * 100;
  level.serverCpuMsPerOffer = level.accepted ? (cpu * 1000) / level.accepted : Number.NaN;
  return result;
}

/** One autocannon run: a duration, or an amount; optionally an overall rate. */
export function runAutocannon(
  baseUrl: string,
  name: string,
  o: { connections: number; seconds?: number; amount?: number; overallRate?: number },
): Promise<AutocannonRun> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let accepted = 0;
    let answered = 0;
    let lastAccepted = 0;
    const started = performance.now();
    const instance = autocannon({
      url: baseUrl,
      connections: o.connections,
      ...(o.amount ? { amount: o.amount } : { duration: o.seconds }),
      ...(o.overallRate ? { overallRate: o.overallRate, ignoreCoordinatedOmission: true } : {}),
      timeout: 10,
      requests: [offerRequest(baseUrl)],
    });
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      answered++;
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(ms);
        accepted++;
        lastAccepted = performance.now();
      }
    });
    instance.on('error', reject);
    instance.on('done', (result) => {
      const activeMs = o.amount ? lastAccepted - started : result.duration * 1000;
      const statusCodes: Record<string, number> = {};
      for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count;
      resolve({
        lastAcceptedAfterMs: lastAccepted ? lastAccepted - started : Number.NaN,
        level: {
          name,
          generator: 'autocannon',
          targetRate: o.overallRate,
          connections: o.connections,
          seconds: activeMs / 1000,
          sent: answered + result.errors,
          accepted,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          acceptedPerSecond: accepted / (activeMs / 1000),
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          maxMs: latencies.length ? Math.max(...latencies) : Number.NaN,
          statusCodes,
        },
      });
    });
  });
}

/** Open-loop load: `rate` offers per second, evenly spaced, for `seconds`. */
export async function runPaced(baseUrl: string, name: string, rate: number, seconds: number): Promise<LoadLevel> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const url = new URL('/api/offers', baseUrl);
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const lags: number[] = [];
  const statusCodes: Record<string, number> = {};
  let accepted = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let lastDone = 0;

  const send = () =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify(validOffer());
      const t = performance.now();
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          timeout: 10_000,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: baseUrl },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            if (status >= 200 && status < 300) {
              accepted++;
              latencies.push(performance.now() - t);
            } else non2xx++;
            lastDone = performance.now();
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        errors++;
        lastDone = performance.now();
        resolve();
      });
      req.end(body);
    });

  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    lags.push(Math.max(0, performance.now() - due));
    pending.push(send());
  }
  await Promise.all(pending);
  agent.destroy();
  // The window in which offers were due, or longer when the answers came later.
  const activeMs = Math.max(lastDone - started, total * interval);
  return {
    name,
    generator: 'paced',
    targetRate: rate,
    seconds: activeMs / 1000,
    sent: total,
    accepted,
    non2xx,
    errors,
    timeouts,
    acceptedPerSecond: accepted / (activeMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.length ? Math.max(...latencies) : Number.NaN,
    statusCodes,
    scheduleLagP99Ms: percentile(lags, 99),
  };
}
