// @ts-check
import { defineConfig } from 'astro/config';
import react from '@astrojs/react';
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
 * The sitemap lists the pages of the route table: not the error pages, not the printables.
 * @type {Set<string>}
 */
const sitemapPaths = new Set(pageIds.flatMap((id) => locales.map((locale) => routes[id][locale])));

export default defineConfig({
  site,
  trailingSlash: 'always',
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
  security: { csp: true },
  vite: { plugins: [tailwindcss()] },
});
