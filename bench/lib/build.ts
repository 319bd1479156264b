import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { node, root } from './paths.ts';
import { spread, type Spread } from './stats.ts';

/** Build times (cold and warm) and what the build produced. */
export interface BuildResult {
  cold: Spread;
  warm: Spread;
  coldSeconds: number[];
  warmSeconds: number[];
  /** Astro's own "N page(s) built in X s" line of the last build. */
  astroSays: string;
  pages: number;
  indexPages: number;
  notFoundPages: number;
  distBytes: number;
}

/** What a cold build starts without: the output and every cache Astro and Vite keep. */
const coldPaths = ['dist', 'dist-server', 'node_modules/.astro', '.astro'];

/** `astro build` as `npx astro build` runs it, without npx's own start-up time. */
function astroBuild(): Promise<{ seconds: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, [join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], {
      cwd: root,
      env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      output = stripVTControlCharacters(output);
      if (code === 0) resolve({ seconds, output });
      else reject(new Error(`astro build exited with ${code}:\n${output.split('\n').slice(-30).join('\n')}`));
    });
  });
}

function walk(dir: string, visit: (path: string, name: string, size: number) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit(path, entry.name, statSync(path).size);
  }
}

export async function measureBuild(runs: number, progress: (line: string) => void): Promise<BuildResult> {
  const coldSeconds: number[] = [];
  const warmSeconds: number[] = [];
  let last = '';
  for (let i = 0; i < runs; i++) {
    for (const p of coldPaths) rmSync(join(root, p), { recursive: true, force: true });
    const cold = await astroBuild();
    coldSeconds.push(cold.seconds);
    progress(`cold build ${i + 1}/${runs}: ${cold.seconds.toFixed(1)} s`);
    const warm = await astroBuild();
    warmSeconds.push(warm.seconds);
    progress(`warm build ${i + 1}/${runs}: ${warm.seconds.toFixed(1)} s`);
    last = warm.output;
  }
  let indexPages = 0;
  let notFoundPages = 0;
  let distBytes = 0;
  walk(join(root, 'dist'), (_path, name, size) => {
    if (name === 'index.html') indexPages++;
    if (name === '404.html') notFoundPages++;
    distBytes += size;
  });
  return {
    cold: spread(coldSeconds),
    warm: spread(warmSeconds),
    coldSeconds,
    warmSeconds,
    astroSays: /(\d+ page\(s\) built in [\d.]+m?s)/.exec(last)?.[1] ?? 'n/a',
    pages: indexPages + notFoundPages,
    indexPages,
    notFoundPages,
    distBytes,
  };
}
