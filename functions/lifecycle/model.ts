/**
 * The offer's life after submission (issue 12), as data: where an offer can stand, who may move
 * it on, and what each step is called in events, webhooks and mails. The store applies the steps
 * (functions/storage/), lifecycle.ts decides who is told, the link pages and the schedule ask
 * for them.
 */

/** Where an offer stands. The last five are ends: from there the retention period runs. */
export const stages = [
  'open',
  'taken_on',
  'placed',
  'withdrawn',
  'unavailable',
  'not_suitable',
  'stale',
  'closed',
] as const;
export type Stage = (typeof stages)[number];
export const endStages: ReadonlySet<Stage> = new Set(['withdrawn', 'unavailable', 'not_suitable', 'stale', 'closed']);

export type Actor = 'landlord' | 'coordinator' | 'carrier' | 'system';

/**
 * Every event an offer can have: the webhook's `type` is `offer.<action>`. Events hold the time,
 * the actor's role (and the carrier's id), the action and non-personal details, never personal
 * data: they stay after the retention purge, for the figures.
 */
export const eventActions = [
  'submitted',
  'withdrawn',
  'follow_up',
  'availability_confirmed',
  'unavailable',
  'taken_on',
  'placed',
  'not_suitable',
  'aftercare_requested',
  'aftercare_answered',
  'stale',
  'closed',
] as const;
export type EventAction = (typeof eventActions)[number];

/** Reasons a carrier or the coordinator may give for "not suitable": a short list, never free text. */
export const notSuitableReasons = ['rent_too_high', 'size', 'location', 'condition', 'no_household', 'other'] as const;
export type NotSuitableReason = (typeof notSuitableReasons)[number];

/** The after-care question's five steps, 1 (very bad) to 5 (very good). */
export const aftercareScale = [1, 2, 3, 4, 5] as const;

/** What a person can do through a signed link, and from where. */
export interface LinkAction {
  /** The event it makes. */
  event: EventAction;
  by: readonly Actor[];
  from: readonly Stage[];
  /** The stage afterwards; undefined: it stays. */
  to?: Stage;
}

export const linkActions = {
  withdraw: { event: 'withdrawn', by: ['landlord'], from: ['open', 'taken_on', 'stale'], to: 'withdrawn' },
  // A late "still available" on a stale offer still reaches staff, who can take it on after all.
  available: { event: 'availability_confirmed', by: ['landlord'], from: ['open', 'stale'] },
  unavailable: { event: 'unavailable', by: ['landlord'], from: ['open', 'taken_on', 'stale'], to: 'unavailable' },
  take_on: { event: 'taken_on', by: ['carrier', 'coordinator'], from: ['open', 'stale'], to: 'taken_on' },
  placed: { event: 'placed', by: ['carrier', 'coordinator'], from: ['open', 'taken_on', 'stale'], to: 'placed' },
  not_suitable: {
    event: 'not_suitable',
    by: ['carrier', 'coordinator'],
    from: ['open', 'taken_on', 'stale'],
    to: 'not_suitable',
  },
  aftercare: { event: 'aftercare_answered', by: ['landlord'], from: ['placed'], to: 'closed' },
} as const satisfies Record<string, LinkAction>;
export type LinkActionName = keyof typeof linkActions;
export const linkActionNames = Object.keys(linkActions) as LinkActionName[];

/** The events the landlord gets a mail about (the rest they did themselves, or concern staff only). */
export const landlordMailEvents: ReadonlySet<EventAction> = new Set([
  'follow_up',
  'taken_on',
  'placed',
  'not_suitable',
  'aftercare_requested',
]);

/** The events staff get a mail about (lifecycle.ts decides which staff; messages.ts writes them). */
export const staffMailEvents: ReadonlySet<EventAction> = new Set([
  'withdrawn',
  'availability_confirmed',
  'unavailable',
  'taken_on',
  'placed',
  'not_suitable',
  'aftercare_answered',
]);

/** The events that change where an offer stands: they go to the carriers' webhooks. */
export const stateEvents: ReadonlySet<EventAction> = new Set([
  'withdrawn',
  'availability_confirmed',
  'unavailable',
  'taken_on',
  'placed',
  'not_suitable',
  'aftercare_answered',
  'stale',
  'closed',
]);

/** What staff can still do from a stage, in the order of the buttons. */
export function staffActionsFrom(stage: Stage): LinkActionName[] {
  return (['take_on', 'placed', 'not_suitable'] as const).filter((name) =>
    (linkActions[name].from as readonly Stage[]).includes(stage),
  );
}
