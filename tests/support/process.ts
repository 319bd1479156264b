import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root } from './content-files.ts';

/** The portal as its own process (`node functions/server.ts`), the way `npm run serve` starts it. */
export interface PortalProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process wrote, for assertions about logs. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function spawnPortal(env: Record<string, string>): Promise<PortalProcess> {
  const child = spawn(process.execPath, [join(root, 'functions', 'server.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/[^/\s]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`portal exited early with ${code}:\n${output}`)));
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
