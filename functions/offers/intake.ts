import { BodyTooLarge, readBody } from '../http/body.ts';
import { createHash, randomUUID } from 'node:crypto';
import { createOfferSchema, fieldErrors, internalFields, totalRent, type Offer } from '../../src/schemas/offer.ts';
import { fieldOrder, todayInCologne } from '../../src/schemas/offer-fields.ts';
import { silentLogger, scrub, type Logger } from '../lib/log.ts';
import type { OfferStore, StoredOffer } from '../storage/types.ts';
import type { Router } from './routing.ts';
import type { RateLimiter } from './rate-limit.ts';

/**
 * Taking an apartment offer: limits, origin check, validation with the one offer schema, spam
 * check, routing, and one transaction with its delivery jobs before anyone is told "received".
 * Platform-free: Web-standard Request in; the JSON API answers a Response, the offer page (no
 * JavaScript) gets a typed outcome and renders it. The platform supplies the client address.
 */
export interface IntakeOptions {
  store: OfferStore;
  router: Router;
  rateLimiter: RateLimiter;
  /** Origins besides the request's own that may post (e.g. SITE_URL behind a proxy). */
  allowedOrigins?: string[];
  now?: () => Date;
  /** Forms sent faster than this after opening are held as suspected spam (humans need longer). */
  minFillMs?: number;
  maxBodyBytes?: number;
  /** Landlord confirmations per address and 24 hours; more offers still reach the staff. */
  confirmationsPerDay?: number;
  /** Structured log without personal data. */
  log?: Logger;
  /** Called after a new offer is committed (wakes the delivery worker). */
  onStored?: () => void;
}

/** The name of the honeypot field: a text input hidden from people, which bots fill in. */
export const honeypotField = 'website';

type Locale = 'de' | 'en';
type Values = Record<string, string>;

/** Why a request was turned away before its content was read. */
export type Refusal =
  | { status: 403; error: 'forbidden_origin' }
  | { status: 405; error: 'method_not_allowed' }
  | { status: 413; error: 'payload_too_large' }
  | { status: 415; error: 'unsupported_media_type' }
  | { status: 400; error: 'unreadable_body' | 'malformed_json' }
  | { status: 429; error: 'rate_limited'; retryAfterSeconds: number };

/** What the offer page shows after a form post without JavaScript. */
export type FormOutcome =
  | { kind: 'edit'; status: 200 | 422; locale: Locale; values: Values; errors: Record<string, string>; focus?: string }
  | { kind: 'review'; locale: Locale; values: Values }
  | { kind: 'stored'; locale: Locale; reference: string }
  | { kind: 'conflict'; locale: Locale; reference: string }
  | { kind: 'unavailable'; locale: Locale; values: Values }
  | { kind: 'rate_limited'; locale: Locale; values: Values; retryAfterSeconds: number }
  | { kind: 'refused'; refusal: Refusal };

type Submission =
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'stored' | 'duplicate' | 'conflict'; offer: StoredOffer }
  | { kind: 'unavailable' };

const jsonHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };
function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...jsonHeaders, ...headers } });
}

/** The refusal as the JSON API answers it. */
export function refusalResponse(refusal: Refusal): Response {
  switch (refusal.status) {
    case 405:
      return json(405, { error: refusal.error }, { Allow: 'POST' });
    case 415:
      return json(415, { error: refusal.error }, { Accept: 'application/json' });
    case 429:
      return json(
        429,
        { error: refusal.error, retryAfter: refusal.retryAfterSeconds },
        { 'Retry-After': String(refusal.retryAfterSeconds) },
      );
    default:
      return json(refusal.status, { error: refusal.error });
  }
}

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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field names that may appear in a log line: the schema's own. Anything else is only counted. */
const loggableFields = new Set<string>([...fieldOrder(), 'submissionId', 'locale', 'formStartedAt', '_form']);
function errorFieldsForLog(errors: Record<string, string>) {
  const names = Object.keys(errors);
  return {
    fields: names.filter((n) => loggableFields.has(n)).join(','),
    unknownFields: names.filter((n) => !loggableFields.has(n)).length,
  };
}

/** The same offer, sent again, gives the same hash; a changed answer gives another. */
export function contentHash(offer: Offer): string {
  const content: Record<string, unknown> = { ...offer };
  for (const name of [...internalFields, 'submissionId']) delete content[name];
  const canonical = JSON.stringify(
    Object.keys(content)
      .sort()
      .map((k) => [k, content[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export function createOfferIntake(options: IntakeOptions) {
  const {
    store,
    router,
    rateLimiter,
    allowedOrigins = [],
    now = () => new Date(),
    minFillMs = 3000,
    maxBodyBytes = 32 * 1024,
    confirmationsPerDay = 3,
    log = silentLogger,
    onStored = () => {},
  } = options;

  /** The checks every post passes before its content counts; the body as text, or why not. */
  async function admit(
    request: Request,
    client: { ip: string },
    expected: 'application/json' | 'application/x-www-form-urlencoded',
  ): Promise<{ text: string } | { refusal: Refusal }> {
    if (request.method !== 'POST') return { refusal: { status: 405, error: 'method_not_allowed' } };
    // Cross-site posts are refused: a page elsewhere must not submit offers in a visitor's name.
    if (!isSameSite(request, allowedOrigins)) {
      log('offer.rejected', { reason: 'origin' });
      return { refusal: { status: 403, error: 'forbidden_origin' } };
    }
    const limited = rateLimiter.take(client.ip);
    if (!limited.ok) {
      log('offer.rejected', { reason: 'rate_limit' });
      return { refusal: { status: 429, error: 'rate_limited', retryAfterSeconds: limited.retryAfterSeconds } };
    }
    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== expected) return { refusal: { status: 415, error: 'unsupported_media_type' } };
    try {
      return { text: await readBody(request, maxBodyBytes) };
    } catch (error) {
      if (error instanceof BodyTooLarge) return { refusal: { status: 413, error: 'payload_too_large' } };
      return { refusal: { status: 400, error: 'unreadable_body' } };
    }
  }

  /** Validates, classifies, routes and stores one offer. */
  async function submit(raw: Record<string, unknown>, started: number): Promise<Submission> {
    const honeypot = raw[honeypotField];
    delete raw[honeypotField];
    const at = now();
    const result = createOfferSchema({ today: todayInCologne(at) }).safeParse(raw);
    if (!result.success) {
      const errors = fieldErrors(result.error);
      log('offer.invalid', errorFieldsForLog(errors));
      return { kind: 'invalid', errors };
    }
    const offer = result.data;

    // Suspected spam is held, never dropped: the coordinator sees it and can release it.
    let holdReason: string | undefined;
    if (typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot !== undefined && honeypot !== null) {
      holdReason = 'honeypot';
    } else if (
      offer.formStartedAt !== undefined &&
      offer.formStartedAt <= at.getTime() &&
      at.getTime() - offer.formStartedAt < minFillMs
    ) {
      holdReason = 'too_fast';
    }

    const routing = router.route(offer);
    let deliveries = routing.deliveries;
    try {
      // Nobody can make the portal mail one address more than a few times a day; the offers
      // themselves still reach the staff.
      const since = new Date(at.getTime() - 24 * 3600 * 1000);
      if (!holdReason && (await store.landlordConfirmationsSince(offer.email, since)) >= confirmationsPerDay) {
        deliveries = deliveries.filter((d) => d.recipientKind !== 'landlord');
        log('offer.confirmation_capped', {});
      }
      const saved = await store.saveOffer({
        submissionId: offer.submissionId,
        contentHash: contentHash(offer),
        locale: offer.locale,
        receivedAt: at,
        status: holdReason ? 'held' : 'received',
        holdReason,
        stadtbezirk: routing.stadtbezirk,
        carrierId: routing.carrier?.id,
        routingReason: routing.reason,
        payload: offer,
        figures: {
          rooms: offer.rooms,
          livingSpace: offer.livingSpace,
          coldRent: offer.coldRent,
          totalRent: totalRent(offer) ?? offer.coldRent,
        },
        deliveries,
      });
      const { reference } = saved.offer;
      if (saved.outcome === 'created') onStored();
      log(`offer.${saved.outcome === 'created' ? 'stored' : saved.outcome}`, {
        reference,
        held: Boolean(holdReason),
        carrier: routing.carrier?.id ?? 'none',
        ms: Math.round(performance.now() - started),
      });
      return { kind: saved.outcome === 'created' ? 'stored' : saved.outcome, offer: saved.offer };
    } catch (error) {
      // Storage failed: say so and keep everything the landlord typed; nothing was promised.
      log('offer.store_failed', { error: scrub(error) });
      return { kind: 'unavailable' };
    }
  }

  /** POST /api/offers: JSON in, JSON out (the island and scripts). */
  async function api(request: Request, client: { ip: string }): Promise<Response> {
    const started = performance.now();
    const admitted = await admit(request, client, 'application/json');
    if ('refusal' in admitted) return refusalResponse(admitted.refusal);
    let parsed: unknown;
    try {
      parsed = JSON.parse(admitted.text);
    } catch {
      return json(400, { error: 'malformed_json' });
    }
    if (!isPlainObject(parsed)) return json(422, { errors: { _form: 'offer.error.invalid' } });
    const outcome = await submit({ ...parsed }, started);
    switch (outcome.kind) {
      case 'invalid':
        return json(422, { errors: outcome.errors });
      case 'unavailable':
        return json(503, { error: 'storage_unavailable' }, { 'Retry-After': '30' });
      case 'conflict':
        return json(409, { error: 'conflict', reference: outcome.offer.reference });
      default:
        return json(outcome.kind === 'stored' ? 201 : 200, { reference: outcome.offer.reference, status: 'received' });
    }
  }

  /**
   * A form post without JavaScript (the offer page posts to itself). The buttons say what the
   * landlord pressed: `intent=review`, `submit`, or `edit[:field]`.
   */
  async function form(request: Request, client: { ip: string }, pageLocale: Locale): Promise<FormOutcome> {
    const started = performance.now();
    const admitted = await admit(request, client, 'application/x-www-form-urlencoded');
    if ('refusal' in admitted) {
      const { refusal } = admitted;
      if (refusal.status !== 429) return { kind: 'refused', refusal };
      // Too many posts: the page says so and keeps every value (they are in this request).
      const text = await readBody(request, maxBodyBytes).catch(() => '');
      const values = stringValues(Object.fromEntries(new URLSearchParams(text)));
      return { kind: 'rate_limited', locale: pageLocale, values, retryAfterSeconds: refusal.retryAfterSeconds };
    }
    const raw: Record<string, unknown> = Object.fromEntries(new URLSearchParams(admitted.text));
    const locale: Locale = raw.locale === 'en' ? 'en' : raw.locale === 'de' ? 'de' : pageLocale;
    const intent = String(raw.intent ?? 'submit');
    delete raw.intent;
    const values = () => stringValues(raw);
    if (intent.startsWith('edit')) {
      const focus = /^edit:([a-zA-Z]+)$/.exec(intent)?.[1];
      return { kind: 'edit', status: 200, locale, values: values(), errors: {}, focus };
    }
    // A page without JavaScript cannot make a per-visitor id; the server issues it on the way to
    // the review step, and the review page posts it back, so a reload sends nothing twice.
    if (raw.submissionId === undefined || raw.submissionId === '') raw.submissionId = randomUUID();

    if (intent === 'review') {
      const candidate = { ...raw };
      delete candidate[honeypotField];
      const result = createOfferSchema({ today: todayInCologne(now()) }).safeParse(candidate);
      if (!result.success) {
        const errors = fieldErrors(result.error);
        log('offer.invalid', errorFieldsForLog(errors));
        return { kind: 'edit', status: 422, locale, values: values(), errors };
      }
      return { kind: 'review', locale, values: values() };
    }
    const outcome = await submit({ ...raw }, started);
    switch (outcome.kind) {
      case 'invalid':
        return { kind: 'edit', status: 422, locale, values: values(), errors: outcome.errors };
      case 'unavailable':
        return { kind: 'unavailable', locale, values: values() };
      case 'conflict':
        return { kind: 'conflict', locale, reference: outcome.offer.reference };
      default:
        return {
          kind: 'stored',
          locale: outcome.offer.locale === 'en' ? 'en' : 'de',
          reference: outcome.offer.reference,
        };
    }
  }

  return { api, form };
}

export type OfferIntake = ReturnType<typeof createOfferIntake>;

/** The string values of a form post (what the page puts back into the fields). */
function stringValues(raw: Record<string, unknown>): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' && key !== honeypotField && key !== 'intent') out[key] = value;
  }
  return out;
}
