import { describe, expect, it } from 'vitest';
import { createRateLimiter, parseRateLimit } from './rate-limit.ts';

describe('rate limit', () => {
  it('allows the limit, then refuses with the seconds until the next token', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(limiter.take('b').ok).toBe(true);
    now = 20_000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('forgets a client address once it has been idle for a whole window', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    limiter.take('10.0.0.1');
    now = 30_000;
    limiter.take('10.0.0.2');
    expect(limiter.size()).toBe(2);
    now = 60_001;
    limiter.take('10.0.0.3');
    // The first address was idle for more than the window; the second was not.
    expect(limiter.size()).toBe(2);
    now = 200_000;
    limiter.take('10.0.0.3');
    expect(limiter.size()).toBe(1);
  });

  it('can be switched off', () => {
    const limiter = createRateLimiter({ limit: 0, windowMs: 1 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').ok).toBe(true);
  });

  it('forgets the oldest clients beyond maxKeys', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, now: () => 0, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('c').ok).toBe(false);
  });

  it.each([
    [undefined, { limit: 30, windowMs: 600_000 }],
    ['10/60', { limit: 10, windowMs: 60_000 }],
    ['off', { limit: 0, windowMs: 1 }],
    ['0', { limit: 0, windowMs: 1 }],
  ])('parses RATE_LIMIT=%s', (value, expected) => {
    expect(parseRateLimit(value)).toEqual(expected);
  });

  it('rejects a malformed RATE_LIMIT', () => {
    expect(() => parseRateLimit('ten per minute')).toThrow(/RATE_LIMIT/);
  });
});
