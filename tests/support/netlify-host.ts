import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Calls the built Netlify functions in a plain Node process, as Netlify's Node runtime does:
 * each HTTP request from a test becomes a real Request for the function's default export, with a
 * Netlify-shaped context (the client address from `x-nf-client-connection-ip`, the header
 * Netlify's edge sets). POST /__scheduled calls the Scheduled Function instead. It serves no
 * static files and routes nothing else: Netlify's CDN is not imitated. A separate process, not
 * the test runner's, so that the functions resolve their own node_modules and read their own
 * environment. Started by tests/support/netlify.ts; argv: functions folder, scheduled function name.
 */
const [functionsDir, scheduledName] = process.argv.slice(2) as [string, string];
const site = process.env.SITE_URL!;
type Handler = (request: Request, context: object) => Promise<Response>;
const load = async (name: string) =>
  ((await import(pathToFileURL(join(functionsDir, name, `${name}.mjs`)).href)) as { default: Handler }).default;
const ssr = await load('ssr');
const scheduled = await load(scheduledName);

/** Netlify hands a function the whole request body at once (up to 6 MB), never a stream. */
async function toRequest(req: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', site), {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

const server = createServer((req, res) => void answer(req, res));

async function answer(req: IncomingMessage, res: ServerResponse) {
  try {
    const ip = String(req.headers['x-nf-client-connection-ip'] ?? '127.0.0.1');
    const context = {
      ip,
      requestId: `local-${Date.now()}`,
      waitUntil: () => {},
      deploy: { context: 'production', id: 'local', published: true },
      site: { id: 'local', name: 'local', url: site },
      server: { region: 'local' },
      geo: {},
      account: { id: 'local' },
    };
    const isScheduled = req.method === 'POST' && req.url === '/__scheduled';
    const response = await (isScheduled ? scheduled : ssr)(await toRequest(req), context);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    // A function that throws is a 502 on Netlify; the test sees it as one, with the error logged.
    console.error(error);
    res.writeHead(502).end();
  }
}
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`netlify-host listening on ${port}`);
});
