import { randomUUID } from 'node:crypto';
import { createOfferSchema, fieldErrors, todayInCologne } from '../../src/schemas/offer.ts';
import type { OfferStore } from './store.ts';
import type { Router } from './routing.ts';
import type { RateLimiter } from './rate-limit.ts';

/**
 * POST /api/offers: takes an apartment offer as JSON (the island) or as a urlencoded form post
 * (no JavaScript), validates it with the one offer schema, routes it, and commits it with its
 * delivery jobs before answering. Web-standard Request in, Response out; the platform adapter
 * (functions/server.ts for Node) supplies the client address.
 */

/** Renders the offer page for answers to form posts; built from the same components as the site. */
export interface OfferPageRenderer {
  formPage(locale: 'de' | 'en', values: Record<string, string>, errors: Record<string, string>, focus?: string): string;
  reviewPage(locale: 'de' | 'en', values: Record<string, string>): string;
  confirmationPage(locale: 'de' | 'en', reference: string): string;
  unavailablePage(locale: 'de' | 'en', values: Record<string, string>): string;
}

export interface IntakeOptions {
  store: OfferStore;
  router: Router;
  rateLimiter: RateLimiter;
  renderer: OfferPageRenderer;
  /** Origins besides the request's own that may post (e.g. SITE_URL behind a proxy). */
  allowedOrigins?: string[];
  now?: () => Date;
  /** Forms sent faster than this after opening are spam (humans need longer). */
  minFillMs?: number;
  maxBodyBytes?: number;
  /** Structured log without personal data. */
  log?: (event: string, fields: Record<string, string | number | boolean | undefined>) => void;
  /** Called after a new offer is committed (wakes the delivery worker). */
  onStored?: () => void;
}

/** The name of the honeypot field: a text input hidden from people, which bots fill in. */
export const honeypotField = 'website';
import { confirmationPaths } from '../../src/i18n/routes.ts';

const jsonHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };
const htmlHeaders = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...jsonHeaders, ...headers } });
}

class BodyTooLarge extends Error {}

/**
 * Whether a POST comes from our own pages. A real Origin decides; browsers that send
 * "Origin: null" (privacy settings, some form posts) are judged by Sec-Fetch-Site; clients that
 * send neither (curl, a carrier's script) are not browsers a forged page could drive.
 */
export function isSameSite(request: Request, allowedOrigins: string[] = []): boolean {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (origin && origin !== 'null') return origin === new URL(request.url).origin || allowedOrigins.includes(origin);
  if (site) return site === 'same-origin' || site === 'none';
  return origin !== 'null';
}

/** Reads at most `limit` bytes; a larger body is refused without reading it all. */
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createOfferIntake(options: IntakeOptions) {
  const {
    store,
    router,
    rateLimiter,
    renderer,
    allowedOrigins = [],
    now = () => new Date(),
    minFillMs = 3000,
    maxBodyBytes = 32 * 1024,
    log = () => {},
    onStored = () => {},
  } = options;

  return async function handleOfferPost(request: Request, client: { ip: string }): Promise<Response> {
    const started = performance.now();
    if (request.method !== 'POST') return json(405, { error: 'method_not_allowed' }, { Allow: 'POST' });

    // Cross-site posts are refused: a page elsewhere must not submit offers in a visitor's name.
    if (!isSameSite(request, allowedOrigins)) {
      log('offer.rejected', { reason: 'origin' });
      return json(403, { error: 'forbidden_origin' });
    }

    const limited = rateLimiter.take(client.ip);
    if (!limited.ok) {
      log('offer.rejected', { reason: 'rate_limit' });
      return json(
        429,
        { error: 'rate_limited', retryAfter: limited.retryAfterSeconds },
        { 'Retry-After': String(limited.retryAfterSeconds) },
      );
    }

    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const isForm = mediaType === 'application/x-www-form-urlencoded';
    if (mediaType !== 'application/json' && !isForm)
      return json(
        415,
        { error: 'unsupported_media_type' },
        { Accept: 'application/json, application/x-www-form-urlencoded' },
      );

    let text: string;
    try {
      text = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return json(413, { error: 'payload_too_large', limit: maxBodyBytes });
      return json(400, { error: 'unreadable_body' });
    }

    let raw: Record<string, unknown>;
    if (isForm) {
      raw = Object.fromEntries(new URLSearchParams(text));
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return json(400, { error: 'malformed_json' });
      }
      if (!isPlainObject(parsed)) return json(422, { errors: { _form: 'offer.error.invalid' } });
      raw = { ...parsed };
    }

    const locale = raw.locale === 'en' ? 'en' : 'de';
    const honeypot = raw[honeypotField];
    delete raw[honeypotField];
    // Form posts say what the landlord pressed: review, submit, or edit[:field] (no JavaScript).
    const intent = isForm ? String(raw.intent ?? 'submit') : 'submit';
    if (isForm) delete raw.intent;
    const formValues = () =>
      Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    if (intent.startsWith('edit')) {
      const focus = /^edit:([a-zA-Z]+)$/.exec(intent)?.[1];
      return new Response(renderer.formPage(locale, formValues(), {}, focus), { status: 200, headers: htmlHeaders });
    }
    // A static page cannot carry a per-visitor id; without JavaScript the server issues it on the
    // way to the review step, and the review page posts it back, so a reload sends nothing twice.
    if (isForm && (raw.submissionId === undefined || raw.submissionId === '')) raw.submissionId = randomUUID();

    const at = now();
    const result = createOfferSchema({ today: todayInCologne(at) }).safeParse(raw);
    if (!result.success) {
      const errors = fieldErrors(result.error);
      log('offer.invalid', { fields: Object.keys(errors).join(',') });
      if (isForm)
        return new Response(renderer.formPage(locale, formValues(), errors), { status: 422, headers: htmlHeaders });
      return json(422, { errors });
    }
    const offer = result.data;
    if (intent === 'review')
      return new Response(renderer.reviewPage(locale, formValues()), { status: 200, headers: htmlHeaders });

    let spamReason: string | undefined;
    if (typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot !== undefined && honeypot !== null)
      spamReason = 'honeypot';
    else if (
      offer.formStartedAt !== undefined &&
      offer.formStartedAt <= at.getTime() &&
      at.getTime() - offer.formStartedAt < minFillMs
    )
      spamReason = 'too_fast';

    const routing = router.route(offer);
    let saved;
    try {
      saved = store.saveOffer({
        submissionId: offer.submissionId,
        locale: offer.locale,
        receivedAt: at,
        status: spamReason ? 'spam' : 'received',
        spamReason,
        stadtbezirk: routing.stadtbezirk,
        carrierId: routing.carrier?.id,
        routingReason: routing.reason,
        payload: offer,
        deliveries: routing.deliveries,
      });
    } catch (error) {
      // Storage failed: say so and keep everything the landlord typed; nothing was promised.
      log('offer.store_failed', { error: error instanceof Error ? error.message : 'unknown' });
      if (isForm)
        return new Response(renderer.unavailablePage(locale, formValues()), {
          status: 503,
          headers: { ...htmlHeaders, 'Retry-After': '30' },
        });
      return json(503, { error: 'storage_unavailable' }, { 'Retry-After': '30' });
    }

    const { reference } = saved.offer;
    if (saved.created) onStored();
    log(saved.created ? 'offer.stored' : 'offer.duplicate', {
      reference,
      spam: Boolean(spamReason),
      carrier: routing.carrier?.id ?? 'none',
      ms: Math.round(performance.now() - started),
    });
    if (isForm) {
      const location = `${confirmationPaths[saved.offer.locale === 'en' ? 'en' : 'de']}?ref=${encodeURIComponent(reference)}`;
      return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
    }
    return json(saved.created ? 201 : 200, { reference, status: 'received' });
  };
}
