import type { Carrier } from '../../src/schemas/carriers.ts';
import { silentLogger, type Logger } from '../lib/log.ts';
import type { DeliveryTarget, EventOutcome, OfferStore, StoredOffer } from '../storage/types.ts';
import type { LinkClaims, LinkSigner } from './links.ts';
import {
  aftercareScale,
  landlordMailEvents,
  linkActions,
  notSuitableReasons,
  staffMailEvents,
  stateEvents,
  type Actor,
  type EventAction,
  type LinkActionName,
  type NotSuitableReason,
} from './model.ts';

/**
 * The offer's life after submission: the steps people take through signed links (withdraw,
 * "still available?", take on, placed, not suitable, the after-care answer) and the steps the
 * schedule takes (follow-ups, stale, the after-care question, its expiry). Decides who is told of
 * each step; the store applies it once, with its event and delivery jobs, in one go.
 */
export interface LifecycleOptions {
  store: OfferStore;
  carriers: readonly Carrier[];
  coordinatorEmail: string;
  links: LinkSigner;
  /** Days between the "still available?" questions (0: at once); at most `maxFollowUps`. */
  followUpDays: number;
  maxFollowUps?: number;
  /** Days from "placed" to the after-care question (three months: the carriers' after-care period). */
  aftercareDays?: number;
  /** Days the after-care question stays open. */
  aftercareAnswerDays?: number;
  now?: () => Date;
  log?: Logger;
}

/** What a person sends with a link's button. */
export interface ActInput {
  /** The coordinator names the carrier who takes an offer on. */
  carrier?: string;
  reason?: string;
  rating?: string | number;
  comment?: string;
}

export type ActOutcome =
  | { kind: 'done'; offer: StoredOffer; action: LinkActionName }
  | { kind: 'already'; offer: StoredOffer; action: LinkActionName }
  | { kind: 'not_possible'; offer: StoredOffer; action: LinkActionName }
  | { kind: 'invalid'; field: 'carrier' | 'reason' | 'rating' | 'comment' }
  | { kind: 'forbidden' }
  | { kind: 'unknown' };

const day = 24 * 3600 * 1000;
export const aftercareCommentMax = 1000;

/** 'landlord', 'coordinator', 'carrier:caritas' → the actor's role and id. */
export function parseActor(actor: string): { role: Actor; id?: string } | undefined {
  if (actor === 'landlord' || actor === 'coordinator') return { role: actor };
  const m = /^carrier:([a-z][a-z0-9-]*)$/.exec(actor);
  return m ? { role: 'carrier', id: m[1] } : undefined;
}

export function createLifecycle(options: LifecycleOptions) {
  const {
    store,
    carriers,
    coordinatorEmail,
    followUpDays,
    maxFollowUps = 3,
    aftercareDays = 91,
    aftercareAnswerDays = 30,
    now = () => new Date(),
    log = silentLogger,
  } = options;
  const carrier = (id: string | null | undefined) => carriers.find((c) => c.id === id);

  /** The carrier responsible now: the one who took it on, else the one the routing table named. */
  const carrierOfRecord = (offer: StoredOffer) => carrier(offer.takenOnBy ?? offer.carrierId);

  /**
   * Who is told of a step. The landlord hears of what concerns them (asked or answered for them);
   * the coordination office hears of everything it did not do itself; the carrier responsible
   * before the step and the one responsible after it (they differ when another carrier takes the
   * offer on) hear of it by mail unless they did it, and by webhook in any case when it changes
   * where the offer stands. `newCarrier`: the carrier the step makes responsible.
   */
  function recipients(
    action: EventAction,
    offer: StoredOffer,
    by: { role: Actor; id?: string },
    newCarrier?: string,
  ): DeliveryTarget[] {
    const out: DeliveryTarget[] = [];
    const landlord = offer.payload?.email;
    const involved = [...new Set([carrierOfRecord(offer)?.id, newCarrier].filter((id): id is string => Boolean(id)))]
      .map(carrier)
      .filter((c): c is Carrier => c !== undefined);
    const mail = (kind: DeliveryTarget['recipientKind'], id: string, target: string) =>
      out.push({ channel: 'email', recipientKind: kind, recipientId: id, target });
    if (landlord && landlordMailEvents.has(action)) mail('landlord', 'landlord', landlord);
    if (staffMailEvents.has(action)) {
      if (by.role !== 'coordinator') mail('coordinator', 'coordinator', coordinatorEmail);
      // The after-care answer is for the coordination office (it evaluates the program).
      for (const c of involved) {
        if (action !== 'aftercare_answered' && !(by.role === 'carrier' && by.id === c.id))
          mail('carrier', c.id, c.email);
      }
    }
    if (stateEvents.has(action)) {
      for (const c of involved) {
        if (c.webhookUrl)
          out.push({ channel: 'webhook', recipientKind: 'carrier', recipientId: c.id, target: c.webhookUrl });
      }
    }
    return out;
  }

  /** Checks a link's claims and loads the offer it is about. */
  async function resolve(claims: LinkClaims) {
    const actor = parseActor(claims.actor);
    const spec = linkActions[claims.action];
    if (!actor || !(spec.by as readonly Actor[]).includes(actor.role)) return { kind: 'forbidden' as const };
    if (actor.role === 'carrier' && !carrier(actor.id)) return { kind: 'forbidden' as const };
    const offer = await store.findByReference(claims.reference);
    // An erased offer is still known by its stage (a withdrawn one shows as done), never acted on.
    if (!offer || offer.status !== 'received') return { kind: 'unknown' as const };
    return { kind: 'ok' as const, actor, spec, offer };
  }

  /** Whether the link's step has been taken already (by this link or otherwise to the same end). */
  async function isDone(action: LinkActionName, offer: StoredOffer): Promise<boolean> {
    const spec = linkActions[action];
    if (action === 'available') return offer.followUps > 0 && offer.followUpAnswered >= offer.followUps;
    if (action === 'aftercare') {
      // "closed" also follows an unanswered question: done only if it was answered.
      return (
        offer.stage === 'closed' && (await store.eventsOf(offer.id)).some((e) => e.action === 'aftercare_answered')
      );
    }
    return 'to' in spec && offer.stage === spec.to;
  }

  /** Whether the step can still be taken (for the page the link opens: button or "done already"). */
  async function preview(claims: LinkClaims) {
    const found = await resolve(claims);
    if (found.kind !== 'ok') return found;
    const { offer, spec } = found;
    const done = await isDone(claims.action, offer);
    if (offer.erasedAt && !done) return { kind: 'unknown' as const };
    const possible = !offer.erasedAt && (spec.from as readonly string[]).includes(offer.stage) && !done;
    return { kind: 'ok' as const, offer, actor: found.actor, possible, done };
  }

  /** Applies a person's step, once. A second click, or a click that comes too late, changes nothing. */
  async function act(claims: LinkClaims, input: ActInput = {}): Promise<ActOutcome> {
    const found = await resolve(claims);
    if (found.kind !== 'ok') return found;
    const { actor, spec, offer } = found;
    if (offer.erasedAt) {
      return (await isDone(claims.action, offer))
        ? { kind: 'already', offer, action: claims.action }
        : { kind: 'unknown' };
    }
    const details: Record<string, string | number | boolean> = {};
    const effects: NonNullable<Parameters<OfferStore['applyEvent']>[0]['effects']> = {};
    let takenOnBy: string | undefined;

    if (claims.action === 'take_on' || claims.action === 'placed') {
      // A carrier acts for itself; the coordination office names the carrier (or keeps the one on record).
      takenOnBy = actor.role === 'carrier' ? actor.id : input.carrier || (offer.takenOnBy ?? undefined);
      if (claims.action === 'take_on' && !carrier(takenOnBy)) return { kind: 'invalid', field: 'carrier' };
      if (takenOnBy && !carrier(takenOnBy)) return { kind: 'invalid', field: 'carrier' };
      if (takenOnBy) {
        effects.takenOnBy = takenOnBy;
        details.carrier = takenOnBy;
      }
      if (claims.action === 'placed') effects.placed = true;
    }
    if (claims.action === 'not_suitable') {
      if (!notSuitableReasons.includes(input.reason as NotSuitableReason)) return { kind: 'invalid', field: 'reason' };
      details.reason = input.reason!;
    }
    if (claims.action === 'aftercare') {
      const rating = Number(input.rating);
      if (!(aftercareScale as readonly number[]).includes(rating)) return { kind: 'invalid', field: 'rating' };
      const comment = (input.comment ?? '').trim();
      if (comment.length > aftercareCommentMax) return { kind: 'invalid', field: 'comment' };
      details.rating = rating;
      details.comment = comment !== '';
      if (comment) effects.aftercareComment = comment;
    }
    const answersFollowUp =
      claims.action === 'available' || claims.action === 'unavailable' ? offer.followUps : undefined;
    if (answersFollowUp !== undefined) details.round = answersFollowUp;

    const by = { role: actor.role, id: actor.id };
    const result: EventOutcome = await store.applyEvent({
      reference: offer.reference,
      action: spec.event,
      actor: actor.role,
      actorId: actor.id,
      from: spec.from,
      to: 'to' in spec ? spec.to : undefined,
      answersFollowUp: claims.action === 'available' ? answersFollowUp : undefined,
      effects,
      details,
      deliveries: recipients(spec.event, offer, by, takenOnBy),
      now: now(),
    });
    if (result.outcome === 'unknown') return { kind: 'unknown' };
    if (result.outcome === 'done') {
      log('lifecycle.step', { reference: offer.reference, action: spec.event, actor: actor.role });
      return { kind: 'done', offer: result.offer, action: claims.action };
    }
    if (await isDone(claims.action, result.offer))
      return { kind: 'already', offer: result.offer, action: claims.action };
    return { kind: 'not_possible', offer: result.offer, action: claims.action };
  }

  /** The schedule's steps that are due now: at most `limit` of each kind per run. */
  async function runSchedule(at = now(), limit = 200) {
    const due = await store.lifecycleDue({
      now: at,
      followUpIntervalMs: followUpDays * day,
      maxFollowUps,
      aftercareAfterMs: aftercareDays * day,
      aftercareAnswerMs: aftercareAnswerDays * day,
      limit,
    });
    const system = { role: 'system' as const };
    const step = (
      offer: StoredOffer,
      input: Omit<Parameters<OfferStore['applyEvent']>[0], 'reference' | 'actor' | 'now'>,
    ) => store.applyEvent({ ...input, reference: offer.reference, actor: 'system', now: at });
    const counts = { followUps: 0, stale: 0, aftercare: 0, closed: 0 };
    for (const offer of due.followUp) {
      const r = await step(offer, {
        action: 'follow_up',
        from: ['open'],
        effects: { followUpSent: true },
        details: { round: offer.followUps + 1 },
        deliveries: recipients('follow_up', offer, system),
      });
      if (r.outcome === 'done') counts.followUps++;
    }
    for (const offer of due.stale) {
      const r = await step(offer, {
        action: 'stale',
        from: ['open'],
        to: 'stale',
        details: { answered: offer.followUpAnswered >= offer.followUps },
        deliveries: recipients('stale', offer, system),
      });
      if (r.outcome === 'done') counts.stale++;
    }
    for (const offer of due.aftercare) {
      const r = await step(offer, {
        action: 'aftercare_requested',
        from: ['placed'],
        effects: { aftercareRequested: true },
        deliveries: recipients('aftercare_requested', offer, system),
      });
      if (r.outcome === 'done') counts.aftercare++;
    }
    for (const offer of due.aftercareExpired) {
      const r = await step(offer, {
        action: 'closed',
        from: ['placed'],
        to: 'closed',
        details: { aftercare: 'unanswered' },
        deliveries: recipients('closed', offer, system),
      });
      if (r.outcome === 'done') counts.closed++;
    }
    if (Object.values(counts).some((n) => n > 0)) log('lifecycle.schedule', counts);
    return counts;
  }

  return { act, preview, runSchedule, recipients, carrierOfRecord, carriers };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
