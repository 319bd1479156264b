/**
 * How long the portal keeps personal data. ONE source for both sides: the server's purge reads it
 * at run time, the privacy notice at build time, so the notice cannot promise another period than
 * the one the portal keeps. Both come from the environment (RETENTION_DAYS, SPAM_RETENTION_DAYS);
 * the server refuses to start when the built site was made with other values (rebuild it).
 */
export interface RetentionPeriods {
  /** Days after an offer's deliveries are final until its personal data is erased. */
  offerDays: number;
  /** Days until the personal data of a held (suspected spam) offer that nobody released is erased. */
  spamDays: number;
}

export const defaultRetention: RetentionPeriods = { offerDays: 90, spamDays: 14 };

function days(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3650) {
    throw new Error(`${name} must be a whole number of days between 1 and 3650, got "${raw}"`);
  }
  return value;
}

export function retentionPeriods(env: Record<string, string | undefined> = process.env): RetentionPeriods {
  return {
    offerDays: days(env, 'RETENTION_DAYS', defaultRetention.offerDays),
    spamDays: days(env, 'SPAM_RETENTION_DAYS', defaultRetention.spamDays),
  };
}
