import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { AstroIntegration } from 'astro';

/** Where the bundled server renderer goes: beside dist/, never inside it (not public). */
export const rendererOutfile = join(process.cwd(), 'dist-server', 'offer-render.mjs');

/**
 * Bundles `src/offer-server/render.tsx` for Node after each build. The server uses it to answer
 * form posts without JavaScript with the same React components the page hydrates. Packages stay
 * external (resolved from node_modules at run time), so the bundle holds only our own code.
 */
export function offerRenderer(): AstroIntegration {
  return {
    name: 'offer-renderer',
    hooks: {
      'astro:build:done': async ({ logger }) => {
        await build({
          entryPoints: [fileURLToPath(new URL('../offer-server/render.tsx', import.meta.url))],
          outfile: rendererOutfile,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node22',
          jsx: 'automatic',
          packages: 'external',
          logLevel: 'warning',
        });
        logger.info(`server renderer for form answers: ${rendererOutfile}`);
      },
    },
  };
}
