import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The same browser and flags as the tests.
import { chromiumFlags, chromiumPath as found } from '../../tests/support/chromium.ts';

export { chromiumFlags };
export const chromiumPath = found ?? '/usr/bin/chromium';

/** The repository root (bench/lib/ → ../..). Every step runs from there. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const resultsDir = join(root, 'bench', 'results');
export const node = process.execPath;

const made: string[] = [];

/** A fresh temporary folder (same file system as the tests' data folders), removed at the end. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
