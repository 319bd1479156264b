/**
 * The part of the Content Security Policy a page cannot set itself: a <meta> CSP may not carry
 * frame-ancestors. Everything else (default-src 'self', script and style hashes, base-uri,
 * object-src, form-action) comes with each page from Astro's CSP (astro.config.mjs): as a meta
 * element in the static pages, as a header of the pages rendered on demand. Both apply.
 */
export const frameAncestors = "frame-ancestors 'none'";

/** Headers every response carries. */
export function securityHeaders(options: { hsts?: boolean } = {}): Record<string, string> {
  return {
    'Content-Security-Policy': `${frameAncestors}; base-uri 'none'; object-src 'none'; form-action 'self'`,
    'X-Content-Type-Options': 'nosniff',
    // same-origin: nothing leaves for other sites, and our own form posts keep their Origin header.
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // Only when the public address is https: a browser that saw it sticks to https for a year.
    ...(options.hsts ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * Adds the security headers to a response rendered on demand (Astro middleware, on every
 * platform): its CSP gains frame-ancestors, and it is never cached.
 */
export function withSecurityHeaders(response: Response, options: { hsts?: boolean } = {}): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(securityHeaders(options))) {
    if (name === 'Content-Security-Policy' && headers.has(name)) {
      headers.set(name, `${headers.get(name)!.replace(/;\s*$/, '')}; ${frameAncestors}`);
    } else if (!headers.has(name)) {
      headers.set(name, value);
    }
  }
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
