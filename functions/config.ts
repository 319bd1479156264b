import { resolve } from 'node:path';

/**
 * Settings of the server side, all from the environment, all with defaults that need no
 * configuration on a developer's machine. The README's configuration table lists the same.
 */
export interface ServerConfig {
  /** TCP port of `npm start`. */
  port: number;
  /** Interface to listen on; loopback by default so a dev machine exposes nothing. */
  host: string;
  /** The built site (`astro build` output). */
  distDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    distDir: resolve(env.DIST_DIR ?? 'dist'),
  };
}
