// @ts-check
import { defineConfig } from 'astro/config';
import react from '@astrojs/react';
import sitemap from '@astrojs/sitemap';
import tailwindcss from '@tailwindcss/vite';
import { exampleValueReport } from './src/integrations/example-values.ts';
import { precompress } from './src/integrations/precompress.ts';

/**
 * The public address of the portal. Canonical URLs, hreflang links, Open Graph tags and the
 * sitemap are absolute, so a deployment sets SITE_URL; the default is a marked example value.
 */
const site = process.env.SITE_URL ?? 'https://auszugsmanagement.example.org';

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
      // Error pages are not content a search engine should list.
      filter: (page) => !/\/404\/?$/.test(page),
    }),
    exampleValueReport(),
    precompress(),
  ],
  // No code blocks on this site; Shiki's inline styles would also clash with the CSP.
  markdown: { syntaxHighlight: false },
  security: { csp: true },
  vite: { plugins: [tailwindcss()] },
});
