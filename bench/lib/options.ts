/**
 * What one `npm run bench` measures and how often. Everything has a default for the full run
 * (about 8–10 minutes on the 2-core reference machine); BENCH_QUICK=1 is a smoke run of 1–2
 * minutes that exercises every step with fewer repetitions. Single settings can be overridden.
 */

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

function list(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const only = process.env.BENCH_ONLY || undefined;
if (only !== undefined && only !== 'storage' && only !== 'memory')
  throw new Error(`BENCH_ONLY must be "storage" or "memory", got "${only}"`);

export const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

/** The page templates in both languages that Lighthouse looks at. */
export const lighthouseTemplates = [
  '/',
  '/vermieten/',
  '/fragen/',
  '/angebot/',
  '/datenschutz/',
  '/en/',
  '/en/landlords/',
  '/en/faq/',
  '/en/offer/',
  '/en/privacy/',
];

/** The pages that may (and do) load JavaScript: the offer form island. */
export const offerPages = new Set(['/angebot/', '/en/offer/']);

export const options = {
  quick,
  /** BENCH_ONLY=storage: only steps 4–6 (both engines), against the build that is there. */
  storageOnly: only === 'storage',
  /** BENCH_ONLY=memory: only step 7 (memory over repeated surges), against the build that is there. */
  memoryOnly: only === 'memory',
  /** Cold builds and warm builds, each this many times (alternating cold, warm). */
  buildRuns: int('BENCH_BUILD_RUNS', quick ? 1 : 3),
  /** Lighthouse runs per page (the median is reported). */
  lighthouseRuns: int('BENCH_LH_RUNS', quick ? 1 : 3),
  lighthousePages: list('BENCH_LH_PAGES', quick ? ['/', '/en/offer/'] : lighthouseTemplates),
  /** Seconds per load level (fixed rates and saturation). */
  loadSeconds: int('BENCH_LOAD_SECONDS', quick ? 3 : 10),
  /** The fixed arrival rates (offers per second). */
  loadRates: list('BENCH_LOAD_RATES', ['10', '50', '200']).map(Number),
  /** Connections of the saturation run (and of autocannon's fixed-rate runs). */
  loadConnections: int('BENCH_LOAD_CONNECTIONS', 10),
  /** Durable-commit rate: this many runs of this many seconds. */
  commitRuns: int('BENCH_COMMIT_RUNS', 3),
  commitSeconds: int('BENCH_COMMIT_SECONDS', quick ? 1 : 3),
  /** Surge drill: this many offers within this many seconds (10,000 in one minute ≈ 167/s). */
  surgeOffers: int('BENCH_SURGE_OFFERS', quick ? 1000 : 10_000),
  surgeSeconds: int('BENCH_SURGE_SECONDS', quick ? 6 : 60),
  /** The drain gets this long before it is stopped and reported as incomplete. */
  drainTimeoutSeconds: int('BENCH_DRAIN_TIMEOUT', quick ? 90 : 300),
  /** Storage engines, each measured under load, in the surge and drain, and from 201 to SMTP. */
  engines: list('BENCH_ENGINES', ['sqlite', 'postgres']).map((name) => {
    if (name !== 'sqlite' && name !== 'postgres') throw new Error(`BENCH_ENGINES: unknown engine "${name}"`);
    return name as 'sqlite' | 'postgres';
  }),
  /** 201 → SMTP: offers per second (evenly spaced) with the delivery worker on, for this long. */
  latencyRate: int('BENCH_LATENCY_RATE', 10),
  latencySeconds: int('BENCH_LATENCY_SECONDS', quick ? 5 : 30),
  /** Memory: this many surges of this many offers against one server, each followed by a drain. */
  memorySurges: int('BENCH_MEMORY_SURGES', 3),
  memoryOffers: int('BENCH_MEMORY_OFFERS', quick ? 1000 : 5000),
  /** Seconds between the last answer of a surge and reading the server's memory. */
  memorySettleSeconds: int('BENCH_MEMORY_SETTLE', 2),
};

export type BenchOptions = typeof options;
