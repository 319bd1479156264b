import { createServer, type IncomingMessage, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { loadConfig, type ServerConfig } from './config.ts';
import { staticSite, securityHeaders } from './static.ts';
import { openOfferStore, type OfferStore } from './offers/store.ts';
import { createRouter, loadCarriers, loadSettings } from './offers/routing.ts';
import { createRateLimiter } from './offers/rate-limit.ts';
import { createOfferIntake, type OfferPageRenderer } from './offers/intake.ts';
import { confirmationPaths } from '../src/i18n/routes.ts';
import { normalizeReference } from './offers/reference.ts';
import { loadTsx, srcPath } from './lib/tsx.ts';
import { createConfiguredWorker } from './delivery/setup.ts';

/**
 * The portal in one Node process: the built site, the offer intake under /api/offers, and the
 * server-rendered confirmation pages. `npm start` runs this after `astro build`; the tests start
 * it on a free port.
 */
export interface Portal {
  server: Server;
  url: string;
  store: OfferStore;
  close(): Promise<void>;
}

/** The client address for the rate limit; X-Forwarded-For only when configured to trust it. */
function clientIp(incoming: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = incoming.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return incoming.socket.remoteAddress ?? 'unknown';
}

export async function createPortal(config: ServerConfig): Promise<Omit<Portal, 'url'>> {
  const settings = loadSettings(config.settingsFile);
  const carriers = loadCarriers(config.routingFile);
  const router = createRouter(carriers, settings.coordinator.email);
  const store = openOfferStore(config.dataDir);
  const log = (event: string, fields: Record<string, string | number | boolean | undefined>) =>
    console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
  const delivery = await createConfiguredWorker({ config, settings, carriers, log });
  const { worker } = delivery;
  const background = config.delivery.inProcess ? worker.start() : undefined;
  const { createOfferRenderer } = await loadTsx<{
    createOfferRenderer: (o: { distDir: string; coordinatorEmail: string }) => OfferPageRenderer;
  }>(srcPath('offer-server', 'render.tsx'));
  const renderer = createOfferRenderer({ distDir: config.distDir, coordinatorEmail: settings.coordinator.email });
  const intake = createOfferIntake({
    store,
    router,
    renderer,
    rateLimiter: createRateLimiter(config.rateLimit),
    allowedOrigins: config.allowedOrigins,
    log,
    // A stored offer wakes the worker at once instead of at its next poll.
    onStored: () => background?.notify(),
  });
  const site = staticSite(config.distDir);
  const html = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...securityHeaders };

  const api = getRequestListener(async (request, env) => {
    const incoming = (env as { incoming: IncomingMessage }).incoming;
    const response = await intake(request, { ip: clientIp(incoming, config.trustProxy) });
    for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
    return response;
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/offers' || url.pathname === '/api/offers/') {
      void api(req, res);
      return;
    }
    const locale =
      url.pathname === confirmationPaths.de ? 'de' : url.pathname === confirmationPaths.en ? 'en' : undefined;
    if (locale && (req.method === 'GET' || req.method === 'HEAD')) {
      const reference = normalizeReference(url.searchParams.get('ref') ?? '');
      if (reference && store.findByReference(reference)) {
        res.writeHead(200, html).end(req.method === 'HEAD' ? undefined : renderer.confirmationPage(locale, reference));
        return;
      }
    }
    site(req, res);
  });
  return {
    server,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          void (async () => {
            await background?.stop();
            delivery.close();
            store.close();
            resolve();
          })();
        });
      }),
  };
}

/** Starts the portal and resolves once it listens. */
export async function startPortal(config: ServerConfig = loadConfig()): Promise<Portal> {
  const portal = await createPortal(config);
  await new Promise<void>((resolve, reject) => {
    portal.server.once('error', reject);
    portal.server.listen(config.port, config.host, resolve);
  });
  const address = portal.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { ...portal, url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}` };
}

if (import.meta.main) {
  const config = loadConfig();
  const portal = await startPortal(config);
  const transport = config.mail.smtpUrl
    ? 'SMTP'
    : config.mail.sendgridApiKey
      ? 'SendGrid'
      : `.eml files in ${config.dataDir}/mail`;
  console.log(
    `Portal running at ${portal.url}/ (stop with Ctrl+C). Offers are stored in ${config.dataDir}; mail goes out as ${transport}.`,
  );
  const stop = () => void portal.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
