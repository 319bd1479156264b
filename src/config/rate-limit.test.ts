import { describe, expect, it } from 'vitest';
import { defaultRateLimit, rateLimitSetting } from './rate-limit.ts';

describe('RATE_LIMIT for the privacy notice', () => {
  it.each([
    [undefined, defaultRateLimit],
    ['', defaultRateLimit],
    ['30/600', { limit: 30, windowMs: 600_000 }],
    [' 5/90 ', { limit: 5, windowMs: 90_000 }],
    ['off', { limit: 0, windowMs: 1 }],
    ['0', { limit: 0, windowMs: 1 }],
  ])('%j gives %j', (value, expected) => {
    expect(rateLimitSetting({ RATE_LIMIT: value })).toEqual(expected);
  });

  it('defaults to 30 offers per 10 minutes', () => {
    expect(defaultRateLimit).toEqual({ limit: 30, windowMs: 10 * 60 * 1000 });
  });

  it.each(['30', '30/', '/600', 'thirty/600', '30/600s', '-1/600'])('refuses %j', (value) => {
    expect(() => rateLimitSetting({ RATE_LIMIT: value })).toThrow(/RATE_LIMIT/);
  });
});
