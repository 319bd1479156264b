import { createServer, type Server } from 'node:http';
import { loadConfig, type ServerConfig } from './config.ts';
import { staticSite } from './static.ts';

/**
 * The portal in one Node process: the built site and (from the offer issue on) the handlers
 * under /api/. `npm start` runs this after `astro build`.
 */
export function createPortalServer(config: ServerConfig): Server {
  const site = staticSite(config.distDir);
  return createServer((req, res) => site(req, res));
}

/** Starts the server and resolves once it listens; used by `npm start` and by the tests. */
export async function startPortal(config: ServerConfig = loadConfig()): Promise<{ server: Server; url: string }> {
  const server = createPortalServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { server, url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}` };
}

if (import.meta.main) {
  const { server, url } = await startPortal();
  console.log(`Portal running at ${url}/ (stop with Ctrl+C)`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
