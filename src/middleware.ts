import { defineMiddleware } from 'astro:middleware';
import { withSecurityHeaders } from '../functions/http/headers.ts';
import { errorPage } from '../functions/http/error-pages.ts';
import { jsonLogger, scrub } from '../functions/lib/log.ts';
import { localeOfPath } from './i18n/routes.ts';
import { portalFor } from '#platform';

/**
 * Around every answer rendered on demand, on every platform: the portal's security headers (the
 * static files get the same from the platform's server or headers file; HSTS only when the public
 * address is https), and for any exception a plain 500 page in the visitor's language plus one
 * log line without personal data, instead of a stack trace or a dropped connection.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  if (context.isPrerendered) return next();
  const hsts = context.site?.protocol === 'https:';
  let response: Response;
  try {
    // Node's entry passes the portal in; Cloudflare and Netlify build it here (see #platform). If
    // it cannot be built (storage unreachable), pages that need no storage still render; the
    // routes that need it answer with the 500 page below.
    context.locals.portal ??= await portalFor(context).catch((error: unknown) => {
      jsonLogger('platform.unavailable', { route: context.routePattern, detail: scrub(error) });
      return undefined;
    });
    response = await next();
  } catch (error) {
    // Without a portal (its services could not be built) the line still goes to the platform's log.
    (context.locals.portal?.log ?? jsonLogger)('http.error', {
      route: context.routePattern,
      error: error instanceof Error ? error.name : 'unknown',
      detail: scrub(error),
    });
    response = new Response(errorPage(500, localeOfPath(context.url.pathname)), {
      status: 500,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
  }
  return withSecurityHeaders(response, { hsts });
});
