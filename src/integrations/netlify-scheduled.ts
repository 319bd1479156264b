import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroConfig, AstroIntegration } from 'astro';
import { build } from 'vite';

/** Netlify's name for the function, and the folder it is written to. */
export const scheduledFunctionName = 'portal-delivery';

/** Every minute, as the worker inside `npm start` (Netlify runs scheduled functions in UTC). */
export const deliverySchedule = '* * * * *';

/**
 * The Scheduled Function beside the one @astrojs/netlify writes: functions/netlify/scheduled.ts,
 * bundled by Vite with the project's aliases (the built-in routing table, settings and
 * migrations, as in the Astro build) and every dependency inside, into
 * .netlify/v1/functions/portal-delivery/ (Netlify's Frameworks API folder, deployed with the
 * site). The entry file carries its config as a literal, because Netlify reads it without running
 * the code; `nodeBundler: 'none'` deploys the bundle as built, the way the adapter deploys its own.
 */
export function netlifyScheduledFunction(): AstroIntegration {
  let config: AstroConfig;
  return {
    name: 'netlify-scheduled-function',
    hooks: {
      'astro:config:done': ({ config: done }) => {
        config = done;
      },
      'astro:build:done': async ({ logger }) => {
        const root = fileURLToPath(config.root);
        const outDir = fileURLToPath(new URL(`.netlify/v1/functions/${scheduledFunctionName}/`, config.root));
        rmSync(outDir, { recursive: true, force: true });
        mkdirSync(outDir, { recursive: true });
        await build({
          configFile: false,
          root,
          // Nothing of public/ belongs in a function.
          publicDir: false,
          logLevel: 'warn',
          resolve: { alias: config.vite.resolve?.alias },
          ssr: { noExternal: true, target: 'node' },
          build: {
            ssr: fileURLToPath(new URL('functions/netlify/scheduled.ts', config.root)),
            outDir,
            emptyOutDir: false,
            minify: false,
            target: 'node22',
            rollupOptions: {
              output: { entryFileNames: 'scheduled.mjs', chunkFileNames: '[name]-[hash].mjs', format: 'es' },
            },
          },
        });
        writeFileSync(
          `${outDir}${scheduledFunctionName}.mjs`,
          [
            `export { default } from './scheduled.mjs';`,
            '',
            '// A literal, not an import: Netlify reads the config of a function without running it.',
            'export const config = {',
            `  name: 'Portal delivery',`,
            `  schedule: '${deliverySchedule}',`,
            `  nodeBundler: 'none',`,
            `  includedFiles: ['**/*'],`,
            `  generator: 'auszugsmanagement-portal',`,
            '};',
            '',
          ].join('\n'),
        );
        logger.info(`scheduled function ${scheduledFunctionName} (${deliverySchedule}) written to ${outDir}`);
      },
    },
  };
}
