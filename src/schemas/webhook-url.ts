const loopback = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Offers carry personal data: webhooks go over https only. Plain http is allowed to this machine
 * alone (a receiver on loopback, as in the tests), where nothing crosses a network. The routing
 * table is checked with this at start, and the sender checks again before each request.
 */
export function isAllowedWebhookUrl(url: URL): boolean {
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback.has(url.hostname));
}
