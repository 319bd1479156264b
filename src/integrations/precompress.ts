import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';

const compressible = /\.(html|css|js|mjs|svg|xml|txt|json|webmanifest)$/;

/** Writes `.br` and `.gz` beside every text file, at build time, with maximum compression. */
export function precompressDir(dir: string): number {
  let count = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      count += precompressDir(path);
    } else if (compressible.test(name)) {
      const data = readFileSync(path);
      writeFileSync(`${path}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      count++;
    }
  }
  return count;
}

/**
 * Precompresses the static build once, so the server (or any host that serves `.br`/`.gz`
 * siblings) sends the smallest files without compressing on every request.
 */
export function precompress(): AstroIntegration {
  return {
    name: 'precompress',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        // Astro writes nested error pages as en/404/index.html; hosts look for en/404.html.
        const root = fileURLToPath(dir);
        for (const nested of ['en/404/index.html']) {
          const from = join(root, nested);
          if (existsSync(from)) {
            renameSync(from, join(root, nested.replace('/index.html', '.html')));
            rmSync(dirname(from), { recursive: true });
          }
        }
        const count = precompressDir(root);
        logger.info(`precompressed ${count} files (brotli and gzip)`);
      },
    },
  };
}
