/**
 * How many offers one client address may send per window (RATE_LIMIT, "30/600" = 30 per 600
 * seconds; "0" or "off" disables it). The privacy notice reads it at build time to say how long
 * the portal holds an IP address in memory, so the notice names the window the server uses.
 * The server reads it through `parseRateLimit` (functions/offers/rate-limit.ts).
 */
export interface RateLimitSetting {
  /** Offers per window; 0 means the limiter is off and holds no addresses. */
  limit: number;
  windowMs: number;
}

export const defaultRateLimit: RateLimitSetting = { limit: 30, windowMs: 600_000 };

export function rateLimitSetting(env: Record<string, string | undefined> = process.env): RateLimitSetting {
  const value = env.RATE_LIMIT;
  if (value === undefined || value.trim() === '') return defaultRateLimit;
  if (value === '0' || value === 'off') return { limit: 0, windowMs: 1 };
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!match) throw new Error(`RATE_LIMIT must look like "30/600" (requests/seconds) or "off", got "${value}"`);
  return { limit: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}
