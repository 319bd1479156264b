// @ts-check
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import react from '@astrojs/react';
import sitemap from '@astrojs/sitemap';
import tailwindcss from '@tailwindcss/vite';
import { exampleValueReport } from './src/integrations/example-values.ts';
import { precompress } from './src/integrations/precompress.ts';
import { platformHeaders } from './src/integrations/platform-headers.ts';
import { cloudflareClientBuild } from './src/integrations/cloudflare-client-build.ts';
import { netlifyScheduledFunction } from './src/integrations/netlify-scheduled.ts';
import { netlifyNotFoundPages } from './src/integrations/netlify-not-found.ts';
import { locales, pageIds, routes } from './src/i18n/routes.ts';

/**
 * The public address of the portal. Canonical URLs, hreflang links, Open Graph tags and the
 * sitemap are absolute, so a deployment sets SITE_URL; the default is a marked example value.
 */
const site = process.env.SITE_URL ?? 'https://auszugsmanagement.example.org';

/**
 * Pages are prerendered (static, no JavaScript); the offer pages, their answers to form posts,
 * the confirmation and /api/offers are rendered on demand (`prerender = false`). PORTAL_TARGET
 * picks the platform that runs them:
 * - `node` (the default): @astrojs/node in middleware mode inside functions/server.ts, which also
 *   serves the static files and runs the delivery worker; output in dist/.
 * - `cloudflare`: a Worker with static assets (functions/cloudflare/), output in dist-cloudflare/.
 * - `netlify`: Netlify Functions (functions/netlify/), output in dist-netlify/ and .netlify/.
 * Each target builds into its own folder, so no build clobbers another.
 */
const target = process.env.PORTAL_TARGET || 'node';
const targets = ['node', 'cloudflare', 'netlify'];
if (!targets.includes(target)) throw new Error(`PORTAL_TARGET must be one of ${targets.join(', ')}, got "${target}"`);

/** Adapters are imported for their target only: a Node install never loads Cloudflare's. */
async function adapterFor() {
  switch (target) {
    case 'cloudflare': {
      const { default: cloudflare } = await import('@astrojs/cloudflare');
      return cloudflare({
        // No Cloudflare Images binding: the portal has no astro:assets images.
        imageService: 'passthrough',
        // Prerendered in Node, as on the other targets: inside workerd (the default) the pages
        // would see no process.env of the build (RETENTION_DAYS, RATE_LIMIT in the privacy notice
        // would silently fall back to their defaults) and no files.
        prerenderEnvironment: 'node',
      });
    }
    case 'netlify': {
      const { default: netlify } = await import('@astrojs/netlify');
      // No Netlify Image CDN: the portal has no astro:assets images, and no request leaves the origin.
      return netlify({ imageCDN: false });
    }
    default: {
      const { default: node } = await import('@astrojs/node');
      // Pages are small: rendered whole before the first byte is sent, so an error anywhere in
      // them still becomes a proper 500 page instead of a page cut off halfway.
      return node({ mode: 'middleware', bodySizeLimit: 64 * 1024, experimentalDisableStreaming: true });
    }
  }
}

/**
 * How an on-demand route gets `Astro.locals.portal` (functions/platform.ts): src/middleware.ts
 * imports `#platform`, which resolves to the target's module. On Node it is a no-op (server.ts
 * hands the portal to Astro's handler); on Cloudflare and Netlify it builds the services once per
 * isolate or function instance from the platform's bindings and environment. The alias keeps
 * `cloudflare:workers` out of the other builds. package.json "imports" maps the Node module for
 * everything that is not built by Vite (type checks, tests).
 */
/** @type {Record<string, string>} */
const platformModules = {
  node: './functions/node/platform.ts',
  cloudflare: './functions/cloudflare/platform.ts',
  netlify: './functions/netlify/platform.ts',
};
const platformModule = platformModules[target] ?? platformModules.node;

/**
 * The sitemap lists the pages of the route table: not the error pages, not the printables.
 * @type {Set<string>}
 */
const sitemapPaths = new Set(pageIds.flatMap((id) => locales.map((locale) => routes[id][locale])));

export default defineConfig({
  site,
  output: 'static',
  outDir: target === 'node' ? './dist' : `./dist-${target}`,
  adapter: await adapterFor(),
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
    // Node serves precompressed files itself; Cloudflare and Netlify compress at their edge and
    // take the security headers of static files from a _headers file.
    ...(target === 'node' ? [precompress()] : [platformHeaders({ site })]),
    ...(target === 'cloudflare' ? [cloudflareClientBuild()] : []),
    // The delivery as a Netlify Scheduled Function beside the adapter's function, and the 404
    // pages of both languages with their headers in the adapter's function.
    ...(target === 'netlify' ? [netlifyScheduledFunction(), netlifyNotFoundPages({ site })] : []),
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
  vite: {
    plugins: [tailwindcss()],
    resolve: {
      alias: [
        { find: '#platform', replacement: fileURLToPath(new URL(platformModule, import.meta.url)) },
        // The routing table and settings that Cloudflare and Netlify build in
        // (functions/serverless/content.ts); the pattern keeps the `?raw` query.
        { find: /^#routing-file(?=\?)/, replacement: resolve(process.env.ROUTING_FILE || 'content/carriers.yaml') },
        { find: /^#settings-file(?=\?)/, replacement: resolve(process.env.SETTINGS_FILE || 'content/settings.yaml') },
        {
          find: /^#campaigns-file(?=\?)/,
          replacement: resolve(process.env.CAMPAIGNS_FILE || 'content/campaigns.yaml'),
        },
      ],
    },
  },
});
