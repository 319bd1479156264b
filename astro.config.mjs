// @ts-check
import { defineConfig } from 'astro/config';
import react from '@astrojs/react';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import tailwindcss from '@tailwindcss/vite';
import { exampleValueReport } from './src/integrations/example-values.ts';
import { precompress } from './src/integrations/precompress.ts';
import { locales, pageIds, routes } from './src/i18n/routes.ts';

/**
 * The public address of the portal. Canonical URLs, hreflang links, Open Graph tags and the
 * sitemap are absolute, so a deployment sets SITE_URL; the default is a marked example value.
 */
const site = process.env.SITE_URL ?? 'https://auszugsmanagement.example.org';

/**
 * Pages are prerendered (static, no JavaScript); the offer pages, their answers to form posts,
 * the confirmation and /api/offers are rendered on demand (`prerender = false`). On Node the
 * adapter runs in middleware mode inside functions/server.ts, which also serves the static files
 * and runs the delivery worker.
 */

/**
 * The sitemap lists the pages of the route table: not the error pages, not the printables.
 * @type {Set<string>}
 */
const sitemapPaths = new Set(pageIds.flatMap((id) => locales.map((locale) => routes[id][locale])));

export default defineConfig({
  site,
  output: 'static',
  // Pages are small: rendered whole before the first byte is sent, so an error anywhere in them
  // still becomes a proper 500 page instead of a page cut off halfway.
  adapter: node({ mode: 'middleware', bodySizeLimit: 64 * 1024, experimentalDisableStreaming: true }),
  // The portal keeps no sessions: no cookies, nothing to store per visitor.
  session: false,
  // Pages live at addresses with a slash (format 'directory'); the platform's server redirects
  // /page to /page/. 'ignore' lets /api/offers answer with and without one.
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  i18n: {
    locales: ['de', 'en'],
    defaultLocale: 'de',
    routing: { prefixDefaultLocale: false },
  },
  integrations: [
    react(),
    sitemap({
      i18n: { defaultLocale: 'de', locales: { de: 'de-DE', en: 'en' } },
      filter: (page) => sitemapPaths.has(new URL(page).pathname),
    }),
    exampleValueReport(),
    precompress(),
  ],
  // No code blocks on this site; Shiki's inline styles would also clash with the CSP.
  markdown: { syntaxHighlight: false },
  security: {
    csp: {
      // With Astro's script and style hashes, the meta CSP of every page; the server adds
      // frame-ancestors, which a meta element cannot carry.
      directives: [
        "default-src 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "form-action 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
      ],
    },
    // The intake checks Origin itself (functions/offers/intake.ts), also behind a proxy and for
    // browsers that send "Origin: null"; one place for that rule.
    checkOrigin: false,
  },
  vite: { plugins: [tailwindcss()] },
});
