import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroConfig, AstroIntegration } from 'astro';
import { securityHeaders } from '../../functions/http/headers.ts';

/**
 * On Netlify every path without a static file goes to the adapter's function, which answers an
 * unknown one with dist's 404.html itself: always the German page, and without the headers that
 * src/middleware.ts gives every other answer (the middleware does not run for a path no route
 * matches, and Netlify's _headers do not apply to functions). This rewrites the one line of the
 * adapter's entry (.netlify/v1/functions/ssr/ssr.mjs) that creates its handler: paths under /en/
 * get en/404.html, and both 404 pages get the portal's security headers, as on the Node server and
 * on Cloudflare. It runs after the adapter's own build hook (Astro runs the adapter's hooks
 * first) and fails the build if the entry no longer looks as expected, so an adapter update cannot
 * silently undo it.
 */
export function netlifyNotFoundPages(options: { site: string }): AstroIntegration {
  let config: AstroConfig;
  return {
    name: 'netlify-not-found-pages',
    hooks: {
      'astro:config:done': ({ config: done }) => {
        config = done;
      },
      'astro:build:done': ({ dir, logger }) => {
        const entry = fileURLToPath(new URL('.netlify/v1/functions/ssr/ssr.mjs', config.root));
        const text = readFileSync(entry, 'utf8');
        const line = /^[ \t]*export default createHandler\(.*\);[ \t]*$/m;
        if (!line.test(text)) throw new Error(`${entry}: the adapter's handler line was not found`);
        // Astro writes the English 404 page as en/404/index.html (build.format 'directory').
        const page = (...paths: string[]) => {
          const found = paths.map((path) => join(fileURLToPath(dir), path)).find((file) => existsSync(file));
          if (!found) throw new Error(`no 404 page at ${paths.join(' or ')}`);
          return readFileSync(found, 'utf8');
        };
        const pages = { de: page('404.html'), en: page('en/404.html', 'en/404/index.html') };
        const headers = securityHeaders({ hsts: new URL(options.site).protocol === 'https:' });
        const replacement = [
          `const notFoundPages = ${JSON.stringify(pages)};`,
          `const securityHeaders = ${JSON.stringify(headers)};`,
          'const handlers = {',
          '  de: createHandler({ notFoundContent: notFoundPages.de }),',
          '  en: createHandler({ notFoundContent: notFoundPages.en }),',
          '};',
          'export default async (request, context) => {',
          '  const english = /^\\/en(\\/|$)/.test(new URL(request.url).pathname);',
          '  const response = await handlers[english ? "en" : "de"](request, context);',
          '  // Answers of routes carry the headers from the middleware; the 404 of no route does not.',
          '  if (response.status !== 404 || response.headers.has("content-security-policy")) return response;',
          '  for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);',
          '  return response;',
          '};',
        ].join('\n');
        writeFileSync(entry, text.replace(line, replacement));
        logger.info('404 pages per language and their security headers added to the SSR function');
      },
    },
  };
}
