/**
 * The client's address for the rate limit. Behind `trustedProxies` reverse proxies, each proxy
 * appends the address it saw to X-Forwarded-For, so the client is the n-th entry from the right;
 * everything further left was written by the client itself and proves nothing. With 0 trusted
 * proxies the header is ignored and the socket's peer is the client.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
): string {
  const peer = socketAddress ?? 'unknown';
  if (trustedProxies <= 0 || forwardedFor === undefined) return peer;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not pass through all of them; trust the peer.
  if (entries.length < trustedProxies) return peer;
  return entries[entries.length - trustedProxies] ?? peer;
}

/** TRUST_PROXY: unset/"false"/"0" → 0, "true" → 1, a whole number → that many proxies. */
export function parseTrustProxy(value: string | undefined): number {
  if (value === undefined || value === '' || value === 'false') return 0;
  if (value === 'true') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10) {
    throw new Error(`TRUST_PROXY must be "true", "false" or the number of proxies in front (0–10), got "${value}"`);
  }
  return n;
}
