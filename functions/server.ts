import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import { loadConfig, type ServerConfig } from './config.ts';
import { staticSite } from './static.ts';
import { securityHeaders } from './http/headers.ts';
import { actionPaths, confirmationPaths, locales, pageIds, pathFor } from '../src/i18n/routes.ts';
import { createServices, type Services } from './setup.ts';
import { clientAddress } from './http/client-address.ts';
import { parseRequestTarget } from './http/request-target.ts';
import { errorLocale, errorPage } from './http/error-pages.ts';
import { jsonLogger, scrub, type Logger } from './lib/log.ts';
import { portalContext } from './services.ts';
import { runMaintenance } from './maintenance.ts';
import { preflightOrExit } from './preflight.ts';

/**
 * The portal in one Node process: the built site (static files from dist/client), the on-demand
 * routes Astro built into dist/server (the offer pages, their answers, the confirmation,
 * /api/offers) through @astrojs/node in middleware mode, and the delivery worker. `npm start`
 * runs this after `astro build`; the tests start it on a free port.
 */
export interface Portal {
  server: Server;
  url: string;
  services: Services;
  close(): Promise<void>;
}

export interface PortalOptions {
  /** Where log lines go; JSON lines on stdout by default. */
  log?: Logger;
}

type AstroHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
  // What Node's entry passes in; App.Locals itself may carry another adapter's members (below).
  locals: Pick<App.Locals, 'portal'>,
) => Promise<void>;

/** Astro's request handler for the on-demand routes, from the build. */
async function loadAstroHandler(distDir: string): Promise<AstroHandler> {
  const entry = join(distDir, 'server', 'entry.mjs');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the site first (npm run build)`);
  const module = (await import(pathToFileURL(entry).href)) as { handler: AstroHandler };
  return module.handler;
}

export async function createPortal(config: ServerConfig, options: PortalOptions = {}): Promise<Omit<Portal, 'url'>> {
  const log = options.log ?? jsonLogger;
  let background: { notify(): void; stop(): Promise<void> } | undefined;
  // A stored offer wakes the worker at once instead of at its next poll.
  const services = await createServices(config, { log, onStored: () => background?.notify() });
  let maintenanceTimer: NodeJS.Timeout | undefined;
  let scheduleTimer: NodeJS.Timeout | undefined;
  if (config.delivery.inProcess) {
    background = services.worker.start();
    // The offer's scheduled steps every minute (so that FOLLOW_UP_DAYS=0 asks at once), the
    // retention purge and the digests hourly.
    const maintenance = () => void runMaintenance(services.maintenance, new Date());
    const schedule = () =>
      void services.lifecycle
        .runSchedule(new Date())
        .then((counts) => (Object.values(counts).some((n) => n > 0) ? background?.notify() : undefined))
        .catch((error: unknown) => log('lifecycle.error', { detail: scrub(error) }));
    maintenance();
    maintenanceTimer = setInterval(maintenance, 3600_000).unref();
    scheduleTimer = setInterval(schedule, 60_000).unref();
  }
  const astro = await loadAstroHandler(config.distDir);
  const headers = securityHeaders({ hsts: new URL(config.siteUrl).protocol === 'https:' });
  const site = staticSite(join(config.distDir, 'client'), {
    headers,
    // Pages rendered on demand have no folder in the build, but /angebot redirects all the same.
    pages: [
      ...locales.flatMap((l) => pageIds.map((id) => pathFor(id, l))),
      ...Object.values(confirmationPaths),
      ...Object.values(actionPaths),
    ],
  });
  // Answers rendered per request are compressed on the fly; static files come precompressed.
  const compress = compression({ threshold: 1024 });

  /** A plain page in the visitor's language; nothing from the failed handler is needed for it. */
  function answerError(req: IncomingMessage, res: ServerResponse, status: 400 | 500, rawPath?: string) {
    if (res.headersSent) {
      // Too late for a status line: end the response so the client is not left waiting.
      res.destroy();
      return;
    }
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: status === 400 ? 'close' : 'keep-alive',
      ...headers,
    });
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
    // The site needs nothing but these; other methods (TRACE, PUT, …) never reach a handler.
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, HEAD, POST', 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : 'Method not allowed\n');
      return;
    }
    // Handlers below (sirv, Astro) read req.url themselves: give them the checked form.
    req.url = target.rawPath + target.search;
    const fail = (error: unknown) => {
      log('http.error', {
        method: oneWord(req.method),
        error: error instanceof Error ? error.name : 'unknown',
        detail: scrub(error),
      });
      answerError(req, res, 500, target.rawPath);
    };
    // Only the portal, not typed as all of App.Locals: its members depend on the last build's
    // adapter (a Cloudflare build adds its required `cfContext` to .astro/types.d.ts, and type
    // checks after it would fail here).
    const locals = {
      portal: portalContext(
        services,
        clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.trustProxy),
      ),
    } satisfies Pick<App.Locals, 'portal'>;
    // Every failure of a handler, thrown or rejected, ends here and nowhere else: the process
    // keeps serving and the visitor gets a page, not a dropped connection.
    try {
      if (site.redirect(req, res, target)) return;
      // Astro answers its on-demand routes (with headers from src/middleware.ts) and hands
      // everything else to the static files.
      compress(req as never, res as never, () => {
        astro(req, res, () => site.serve(req, res, target), locals).catch(fail);
      });
    } catch (error) {
      fail(error);
    }
  });
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = config.http.requestTimeoutMs;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.maxConnections = config.http.maxConnections;

  let closing: Promise<void> | undefined;
  return {
    server,
    services,
    /**
     * Graceful stop: no new connections, requests in flight finish, the worker ends its batch and
     * hands back its claims, then the store closes.
     */
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        clearInterval(maintenanceTimer);
        clearInterval(scheduleTimer);
        server.close(() => {
          void (async () => {
            await background?.stop().catch(() => {});
            await services.close().catch(() => {});
            resolve();
          })();
        });
        server.closeIdleConnections();
        // Requests still running after the grace period are cut off.
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      })),
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
  // An unsafe or inconsistent configuration (example values in production, no mail transport, a
  // build made with other retention settings, …) stops here with ONE message listing everything
  // wrong and exit code 78, before anything listens or opens the database (functions/preflight.ts).
  const config = preflightOrExit('The portal', { requireBuild: true });
  const portal = await startPortal(config);
  const transport = config.mail.smtpUrl
    ? 'SMTP'
    : config.mail.sendgridApiKey
      ? 'SendGrid'
      : `.eml files in ${config.dataDir}/mail`;
  console.log(
    `Portal running at ${portal.url}/ (stop with Ctrl+C). Offers are stored in ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.dataDir}; mail goes out as ${transport}.`,
  );
  const stop = () => void portal.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
