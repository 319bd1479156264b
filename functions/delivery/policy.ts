/**
 * When to try a failed delivery again: exponential backoff from `baseDelayMs`, doubling per
 * attempt, ±20 % jitter (so that many jobs failing together do not retry together), capped at
 * `maxDelayMs`; a receiver's Retry-After wins (at least a second, at most the cap). After
 * `maxAttempts` a job is dead (dead letter) and the coordinator is alerted.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 12 };

export function nextDelay(policy: RetryPolicy, attempts: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(policy.maxDelayMs, Math.max(retryAfterMs, 1000));
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

/** A failed attempt that may be retried is retried until the attempts are used up. */
export const shouldRetry = (policy: RetryPolicy, attempts: number, retryable: boolean) =>
  retryable && attempts < policy.maxAttempts;
