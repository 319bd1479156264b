import { createHmac, timingSafeEqual } from 'node:crypto';
import { linkActionNames, type LinkActionName } from './model.ts';

/**
 * Signed action links in mails: no accounts, no passwords, one click for the person who got the
 * mail. A link carries the offer's reference, the action, who may do it (landlord, coordinator or
 * a carrier's id) and when it expires, signed with HMAC-SHA256 under LINK_SECRET. Changing any
 * part breaks the signature; the secret never leaves the server.
 *
 * Format: base64url("v1|REF|action|actor|expiresEpochSeconds") + "." + base64url(hmac).
 */
export interface LinkClaims {
  reference: string;
  action: LinkActionName;
  /** 'landlord', 'coordinator', or 'carrier:<id>'. */
  actor: string;
  /** Epoch seconds. */
  expires: number;
}

export type LinkCheck =
  { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'tampered' | 'expired'; claims?: LinkClaims };

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function createLinkSigner(secret: string) {
  if (secret.length < 32) throw new Error('LINK_SECRET must be at least 32 characters');
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();

  function sign(claims: LinkClaims): string {
    const payload = ['v1', claims.reference, claims.action, claims.actor, String(claims.expires)].join('|');
    return `${b64(payload)}.${b64(mac(payload))}`;
  }

  function verify(token: string, now: Date): LinkCheck {
    const match = /^([A-Za-z0-9_-]{10,200})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
    if (!match) return { ok: false, reason: 'malformed' };
    const payload = Buffer.from(match[1]!, 'base64url').toString('utf8');
    const given = Buffer.from(match[2]!, 'base64url');
    const expected = mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'tampered' };
    const [version, reference, action, actor, expires] = payload.split('|');
    if (
      version !== 'v1' ||
      !reference ||
      !actor ||
      !linkActionNames.includes(action as LinkActionName) ||
      !/^\d{1,12}$/.test(expires ?? '')
    ) {
      return { ok: false, reason: 'malformed' };
    }
    const claims: LinkClaims = { reference, action: action as LinkActionName, actor, expires: Number(expires) };
    if (claims.expires * 1000 < now.getTime()) return { ok: false, reason: 'expired', claims };
    return { ok: true, claims };
  }

  return { sign, verify };
}

export type LinkSigner = ReturnType<typeof createLinkSigner>;

/** How long each kind of link works: long enough to be used, short enough not to linger. */
export const linkLifetimeDays: Record<LinkActionName, number> = {
  withdraw: 365,
  available: 60,
  unavailable: 60,
  take_on: 365,
  placed: 365,
  not_suitable: 365,
  aftercare: 60,
};
