import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { root } from './paths.ts';

/** The machine the figures were measured on: they mean little without it. */
export interface Machine {
  date: string;
  commit: string;
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  chromium: string;
  lighthouse: string;
  autocannon: string;
  /** Other work on the machine changes every timing: the load average when the run began. */
  loadAverage: string;
}

function quiet(run: () => string, fallback = 'unknown'): string {
  try {
    return run().trim() || fallback;
  } catch {
    return fallback;
  }
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  return quiet(
    () =>
      (
        JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [root] }), 'utf8')) as {
          version: string;
        }
      ).version,
  );
}

export function describeMachine(chromiumPath: string): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    // Read-only: which commit was measured (uncommitted changes are not visible here).
    commit: quiet(() =>
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    chromium: quiet(() =>
      execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ),
    lighthouse: packageVersion('lighthouse'),
    autocannon: packageVersion('autocannon'),
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / '),
  };
}

/** The file system a path lives on (mount point and type), from /proc/self/mountinfo. */
export function fileSystemOf(path: string): string {
  return quiet(() => {
    const real = realpathSync(path);
    let best = { mount: '', type: '', source: '' };
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const fields = line.split(' ');
      const mount = fields[4];
      const dash = fields.indexOf('-');
      if (!mount || dash < 0) continue;
      const inside = real === mount || real.startsWith(mount.endsWith('/') ? mount : `${mount}/`);
      if (inside && mount.length >= best.mount.length)
        best = { mount, type: fields[dash + 1] ?? '', source: fields[dash + 2] ?? '' };
    }
    return `${best.type} ${best.source} on ${best.mount}`;
  });
}
