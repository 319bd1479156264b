import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from '../support/content-files.ts';
import { tempDataDir } from '../support/offers.ts';
import { spawnPortal } from '../support/process.ts';

const run = promisify(execFile);

/** A command as an operator (or systemd) starts it; resolves with its exit code and output. */
async function start(script: string, env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'functions', script)], {
      cwd: root,
      env: { ...process.env, PORT: '0', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The preflight of functions/preflight.ts as the processes meet it (the rules: functions/preflight.test.ts). */
describe('starting with an unsafe or inconsistent configuration', () => {
  it('NODE_ENV=production with the shipped example content: exit 78, one message listing everything, no stack trace', async () => {
    const dataDir = join(tempDataDir(), 'never-created');
    const { code, stdout, stderr } = await start('server.ts', { NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(code).toBe(78);
    expect(stdout).not.toContain('running at');
    expect(stderr).toMatch(/^The portal does not start: 4 problems in its configuration \(NODE_ENV=production\)\.\n/);
    expect(stderr).toMatch(/ {2}1\. No mail transport: set SMTP_URL/);
    expect(stderr).toMatch(/ {2}2\. MAIL_FROM is an example value/);
    expect(stderr).toMatch(/ {2}3\. SITE_URL is an example value/);
    expect(stderr).toMatch(/ {2}4\. 27 marked example values are still in the content/);
    expect(stderr).toContain('content/carriers.yaml caritas.email: caritas.wohnungsangebote@example.org');
    expect(stderr).not.toMatch(/\n\s+at /);
    // Refused before anything was opened or written.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a RETENTION_DAYS other than the build’s is refused in any mode, with the rebuild command', async () => {
    const { code, stderr } = await start('server.ts', { DATA_DIR: tempDataDir(), RETENTION_DAYS: '30' });
    expect(code).toBe(78);
    expect(stderr).toContain('was made with RETENTION_DAYS=90 (this process: 30)');
    expect(stderr).toContain('RETENTION_DAYS=30 SPAM_RETENTION_DAYS=14 npm run build');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('npm run deliver refuses the same production configuration', async () => {
    const { code, stderr } = await start('deliver.ts', { NODE_ENV: 'production', DATA_DIR: tempDataDir() });
    expect(code).toBe(78);
    expect(stderr).toMatch(/^npm run deliver does not start: 4 problems/);
  });

  it('RATE_LIMIT=off against a build that names a window starts, with a logged warning', async () => {
    const portal = await spawnPortal({ DATA_DIR: tempDataDir(), RATE_LIMIT: 'off' });
    try {
      const warning = portal
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { event: string; rule?: string })
        .find((line) => line.event === 'preflight.warning');
      expect(warning).toMatchObject({ rule: 'builtRateLimit' });
      expect((await fetch(`${portal.url}/`)).status).toBe(200);
    } finally {
      await portal.stop();
    }
  });
});
