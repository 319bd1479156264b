import { defineMiddleware } from 'astro:middleware';
import { withSecurityHeaders } from '../functions/http/headers.ts';
import { errorPage } from '../functions/http/error-pages.ts';
import { scrub } from '../functions/lib/log.ts';
import { localeOfPath } from './i18n/routes.ts';

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
    response = await next();
  } catch (error) {
    context.locals.portal?.log('http.error', {
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
