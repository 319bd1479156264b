import type { AstroIntegration } from 'astro';

/**
 * Keeps the browser's JavaScript of the Cloudflare build identical to the Node build's.
 *
 * @astrojs/cloudflare 14 prepares its Worker bundle in `astro:build:setup` by defining
 * `process.env` as itself and prepending a `globalThis.process ??= {}` banner. Astro 7 runs that
 * hook once for all Vite environments, so the client bundle got both: `process.env.NODE_ENV` was
 * no longer replaced, and the offer form shipped React's development build (400 KB instead of
 * 212 KB, dev warnings in the console). The client environment gets back what a browser build
 * has everywhere else. tests/cloudflare/ compares the two builds' assets byte for byte.
 */
export function cloudflareClientBuild(): AstroIntegration {
  return {
    name: 'cloudflare-client-build',
    hooks: {
      'astro:build:setup': ({ vite }) => {
        vite.environments ??= {};
        const client = (vite.environments.client ??= {});
        client.define = { ...client.define, 'process.env.NODE_ENV': JSON.stringify('production') };
        client.build ??= {};
        client.build.rolldownOptions ??= {};
        const output = client.build.rolldownOptions.output;
        if (Array.isArray(output)) for (const o of output) o.banner = '';
        else client.build.rolldownOptions.output = { ...output, banner: '' };
      },
    },
  };
}
