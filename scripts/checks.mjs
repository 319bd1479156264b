// `astro check` (types of .ts, .tsx and .astro) and `npm run lint` (ESLint, Prettier) for
// `npm test`, side by side: each runs on one core, and the reference machine has two, so together
// they take as long as the slower one. Their output is held back and printed one after the other
// (never interleaved): in full when a check fails, as one summary line when both pass.
import { spawn } from 'node:child_process';

/** @param {string} name @param {string} command @param {string[]} args */
function run(name, command, args) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      shell: process.platform === 'win32',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ name, code: 1, output: String(error), seconds: 0 }));
    child.on('close', (code) =>
      resolve({ name, code: code ?? 1, output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const results = await Promise.all([
  run('astro check', 'astro', ['check']),
  run('npm run lint', 'npm', ['run', '--silent', 'lint']),
]);
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) {
  console.error(`\n${r.name} failed (exit ${r.code}):\n`);
  process.stderr.write(r.output);
}
if (failed.length > 0) process.exit(1);
// astro check's own verdict stays visible, on one line: "Result (274 files): 0 errors, 0 warnings, 0 hints".
const verdict = /Result \((\d+) files\):\s*-\s*(.+)\s*-\s*(.+)\s*-\s*(.+)/.exec(results[0].output);
const summary = verdict ? `astro check: ${verdict[1]} files, ${verdict[2]}, ${verdict[3]}, ${verdict[4]}.` : '';
console.log(`Checks passed: ${results.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(', ')}. ${summary}`);
