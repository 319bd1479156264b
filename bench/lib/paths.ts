import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/ → ../..). Every step runs from there. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const resultsDir = join(root, 'bench', 'results');
export const node = process.execPath;

const chromiumCandidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
export const chromiumPath = chromiumCandidates.find((p): p is string => Boolean(p && existsSync(p))) ?? '/usr/bin/chromium';

/** Headless Chromium as this machine allows it: no sandbox (root), no calls home. */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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
