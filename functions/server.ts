import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
import { clientAddress } from './http/client-address.ts';
import { parseRequestTarget, type RequestTarget } from './http/request-target.ts';
import { errorLocale, errorPage } from './http/error-pages.ts';
import { jsonLogger, scrub, type Logger } from './lib/log.ts';

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

export interface PortalOptions {
  /** Where log lines go; JSON lines on stdout by default. */
  log?: Logger;
}

export async function createPortal(config: ServerConfig, options: PortalOptions = {}): Promise<Omit<Portal, 'url'>> {
  const settings = loadSettings(config.settingsFile);
  const carriers = loadCarriers(config.routingFile);
  const router = createRouter(carriers, settings.coordinator.email);
  const store = openOfferStore(config.dataDir);
  const log = options.log ?? jsonLogger;
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
    const ip = clientAddress(incoming.socket.remoteAddress, incoming.headers['x-forwarded-for'], config.trustProxy);
    const response = await intake(request, { ip });
    for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
    return response;
  });

  /** Routes one request whose target was readable. May throw or reject: the caller answers 500. */
  async function route(req: IncomingMessage, res: ServerResponse, target: RequestTarget): Promise<void> {
    if (target.path === '/api/offers' || target.path === '/api/offers/') {
      await api(req, res);
      return;
    }
    const { path } = target;
    const locale = path === confirmationPaths.de ? 'de' : path === confirmationPaths.en ? 'en' : undefined;
    if (locale && (req.method === 'GET' || req.method === 'HEAD')) {
      const reference = normalizeReference(target.searchParams.get('ref') ?? '');
      if (reference && store.findByReference(reference)) {
        res.writeHead(200, html).end(req.method === 'HEAD' ? undefined : renderer.confirmationPage(locale, reference));
        return;
      }
    }
    site(req, res, target);
  }

  /** A plain page in the visitor's language; nothing from the failed handler is needed for it. */
  function answerError(req: IncomingMessage, res: ServerResponse, status: 400 | 500, rawPath?: string) {
    if (res.headersSent) {
      // Too late for a status line: end the response so the client is not left waiting.
      res.destroy();
      return;
    }
    res.writeHead(status, { ...html, Connection: status === 400 ? 'close' : 'keep-alive' });
    res.end(req.method === 'HEAD' ? undefined : errorPage(status, errorLocale(rawPath)));
  }

  // Node checks the header and request timeouts only every `connectionsCheckingInterval`
  // (30 s by default), which would let a slow client hold a connection far beyond them.
  const checkEvery = Math.max(100, Math.min(1000, Math.floor(config.http.headersTimeoutMs / 4)));
  const server = createServer({ connectionsCheckingInterval: checkEvery }, (req, res) => {
    const target = parseRequestTarget(req.url);
    if (!target) {
      log('http.bad_request', { method: oneWord(req.method) });
      answerError(req, res, 400, req.url);
      return;
    }
    // Handlers below (sirv, the API bridge) read req.url themselves: give them the checked form.
    req.url = target.rawPath + target.search;
    // Every failure of a handler, thrown or rejected, ends here and nowhere else: the process
    // keeps serving and the visitor gets a page, not a dropped connection.
    route(req, res, target).catch((error: unknown) => {
      log('http.error', {
        method: oneWord(req.method),
        error: error instanceof Error ? error.name : 'unknown',
        detail: scrub(error),
      });
      answerError(req, res, 500, target.rawPath);
    });
  });
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = config.http.requestTimeoutMs;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.maxConnections = config.http.maxConnections;
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

/** An HTTP method for a log line: one short word, never something a client made up at length. */
function oneWord(method: string | undefined): string {
  return method && /^[A-Z]{1,10}$/.test(method) ? method : 'other';
}

/** Starts the portal and resolves once it listens. */
export async function startPortal(config: ServerConfig = loadConfig(), options: PortalOptions = {}): Promise<Portal> {
  const portal = await createPortal(config, options);
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
