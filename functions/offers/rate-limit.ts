import { rateLimitSetting, type RateLimitSetting } from '../../src/config/rate-limit.ts';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * What the intake needs of a rate limit: this in-memory one on Node, or the platform's own
 * (Cloudflare's Rate Limiting binding, which answers asynchronously).
 */
export interface RateLimit {
  take(key: string): RateDecision | Promise<RateDecision>;
}

/**
 * Per-client rate limit as a token bucket: `limit` requests per `windowMs`, refilled
 * continuously, so a landlord correcting a typo twice is never blocked but a script is.
 * In memory: one process, and a restart forgets, which is acceptable for abuse damping.
 *
 * The keys are client addresses, which are personal data: an address is forgotten once it has
 * been idle for a whole window (its bucket would be full again anyway), as the privacy notice
 * says. Never written anywhere.
 */
export interface RateLimiter extends RateLimit {
  take(key: string): RateDecision;
  /** How many client addresses it holds right now (for tests and health). */
  size(): number;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
  maxKeys?: number;
}): RateLimiter {
  const { limit, windowMs, now = Date.now, maxKeys = 100_000 } = options;
  if (limit <= 0) return { take: () => ({ ok: true }), size: () => 0 };
  const perMs = limit / windowMs;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: limit, at: t };
      bucket.tokens = Math.min(limit, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      // Map keeps insertion order: re-inserting moves the key to the end, so the front holds the
      // clients idle longest. Those idle for a whole window are dropped; so is the oldest when
      // there are too many.
      buckets.delete(key);
      buckets.set(key, bucket);
      for (const [oldest, b] of buckets) {
        if (t - b.at < windowMs && buckets.size <= maxKeys) break;
        buckets.delete(oldest);
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
    size: () => buckets.size,
  };
}

/** Parses RATE_LIMIT ("30/600" = 30 requests per 600 seconds; "0" or "off" disables): one rule, in src/config/. */
export function parseRateLimit(value: string | undefined): RateLimitSetting {
  return rateLimitSetting({ RATE_LIMIT: value });
}
