// `astro build` with a stopwatch, for `npm test`: quiet when it works (one line with the time and
// the number of example values still in use), the whole log when it fails. The goal is under 30 s
// on the 2-core reference machine: a figure, not a failing test; timings belong to `npm run bench`.
import { spawnSync } from 'node:child_process';

const started = performance.now();
const result = spawnSync('astro', ['build'], { encoding: 'utf8', shell: process.platform === 'win32' });
const seconds = (performance.now() - started) / 1000;
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  process.exit(result.status ?? 1);
}
const examples = /(\d+) example values are still in use/.exec(result.stdout ?? '')?.[1] ?? '0';
console.log(
  `Production build took ${seconds.toFixed(1)} s (goal: under 30 s); ${examples} example values still in content/ (npm run build lists them).`,
);
