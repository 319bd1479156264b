import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const cacheDir = join(root, 'node_modules', '.cache', 'portal-server');

/**
 * Loads a TSX module from src/ into the server. Node runs TypeScript but not JSX, and the server
 * side renders React components (the offer form for posts without JavaScript, the e-mails), so
 * esbuild compiles them once at start into node_modules/.cache (where `react` resolves), packages
 * left external. Takes ~100 ms; no build step to forget.
 */
export async function loadTsx<T>(entry: string): Promise<T> {
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(
    cacheDir,
    `${relative(join(root, 'src'), entry)
      .replace(/[\\/]/g, '__')
      .replace(/\.tsx?$/, '')}-${process.pid}.mjs`,
  );
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    jsx: 'automatic',
    packages: 'external',
    logLevel: 'warning',
  });
  try {
    return (await import(pathToFileURL(outfile).href)) as T;
  } finally {
    // Loaded into memory; the file was only the way in.
    rmSync(outfile, { force: true });
  }
}

export const srcPath = (...parts: string[]) => join(root, 'src', ...parts);
