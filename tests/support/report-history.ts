import { linkActions, type Stage } from '../../functions/lifecycle/model.ts';
import type { EventInput, OfferStore } from '../../functions/storage/types.ts';
import type { Offer } from '../../src/schemas/offer.ts';
import { validOffer } from './offers.ts';

/**
 * A known history of offers for the figures (functions/report/), stored through the real store
 * the way the portal stores it: saveOffer, then each step with applyEvent at a chosen time.
 * The period is 14.10.2026 (Wednesday, ISO week 42) to 10.11.2026 (Tuesday, week 46), with the
 * switch to winter time on 25.10.2026 inside it. The expected figures are written out by hand in
 * functions/report/report.test.ts from the table below, not computed.
 *
 *  offer  received (UTC)      Cologne date  bezirk / routed   steps                                   stage now
 *  A      2026-10-13 21:59    13.10 (out)   Kalk / fr         taken on (fr)                           taken_on
 *  B      2026-10-13 22:00    14.10 W42     Kalk / fr         taken on (fr) +36 h, placed, asked,     closed
 *                                                             answered 4 with comment
 *  C      2026-10-15 08:00    15.10 W42     Innenstadt / car  taken on by drk +12 h                   taken_on
 *  Q      2026-10-14 10:00    14.10 W42     Nippes / drk      placed (drk, no take-on), asked,        closed
 *                                                             answered 2 without comment
 *  O      2026-10-16 09:00    16.10 W42     Rodenkirchen/car  follow-up, stale unanswered, then       taken_on
 *                                                             taken on (car) +840 h
 *  D      2026-10-20 09:00    20.10 W43     Ehrenfeld / drk   not suitable: rent too high             not_suitable
 *  E      2026-10-21 09:00    21.10 W43     Ehrenfeld / drk   withdrawn                               withdrawn
 *  F      2026-10-25 10:00    25.10 W43     Nippes / drk      3 follow-ups, stale unanswered          stale
 *  G      2026-10-25 23:30    26.10 W44     Kalk / fr         follow-up answered, stale answered      stale
 *  H      2026-10-27 09:00    27.10 W44     (none) / (none)   nothing                                 open
 *  I      2026-10-28 09:00    28.10 W44     Kalk / fr         HELD as suspected spam                  open
 *  J      2026-11-02 09:00    02.11 W45     Mülheim / fr      unavailable                             unavailable
 *  K      2026-11-03 09:00    03.11 W45     Lindenthal / car  placed (car, no take-on), asked,        closed
 *                                                             expired unanswered
 *  L      2026-11-04 09:00    04.11 W45     Kalk / fr         taken on (fr) +60 h, placed             placed
 *  P      2026-11-05 09:00    05.11 W45     Chorweiler / drk  not suitable: size                      not_suitable
 *  M      2026-11-10 22:59    10.11 W46     Kalk / fr         taken on by car +5 h                    taken_on
 *  N      2026-11-10 23:00    11.11 (out)   Kalk / fr         withdrawn                               withdrawn
 *
 * (fr = fluechtlingsrat, car = caritas.)
 */
export const historyPeriod = { from: '2026-10-14', to: '2026-11-10' } as const;

const hour = 3600_000;

type Step = { action: 'follow_up' | 'stale' | 'aftercare_requested' | 'closed' | keyof typeof linkActions } & {
  /** Hours after the offer was received. */
  after: number;
  carrier?: string;
  reason?: string;
  rating?: number;
  comment?: string;
  answered?: boolean;
  round?: number;
};

interface Seed {
  name: string;
  receivedAt: string;
  stadtbezirk: string | null;
  carrierId: string | null;
  held?: boolean;
  steps?: Step[];
}

export const history: Seed[] = [
  {
    name: 'A',
    receivedAt: '2026-10-13T21:59:00Z',
    stadtbezirk: 'Kalk',
    carrierId: 'fluechtlingsrat',
    steps: [{ action: 'take_on', after: 2, carrier: 'fluechtlingsrat' }],
  },
  {
    name: 'B',
    receivedAt: '2026-10-13T22:00:00Z',
    stadtbezirk: 'Kalk',
    carrierId: 'fluechtlingsrat',
    steps: [
      { action: 'take_on', after: 36, carrier: 'fluechtlingsrat' },
      { action: 'placed', after: 7 * 24, carrier: 'fluechtlingsrat' },
      { action: 'aftercare_requested', after: 98 * 24 },
      { action: 'aftercare', after: 100 * 24, rating: 4, comment: 'Alles gut angelaufen, Frau X ist zufrieden.' },
    ],
  },
  {
    name: 'C',
    receivedAt: '2026-10-15T08:00:00Z',
    stadtbezirk: 'Innenstadt',
    carrierId: 'caritas',
    steps: [{ action: 'take_on', after: 12, carrier: 'drk' }],
  },
  {
    name: 'Q',
    receivedAt: '2026-10-14T10:00:00Z',
    stadtbezirk: 'Nippes',
    carrierId: 'drk',
    steps: [
      { action: 'placed', after: 48, carrier: 'drk' },
      { action: 'aftercare_requested', after: 93 * 24 },
      { action: 'aftercare', after: 98 * 24, rating: 2 },
    ],
  },
  {
    name: 'O',
    receivedAt: '2026-10-16T09:00:00Z',
    stadtbezirk: 'Rodenkirchen',
    carrierId: 'caritas',
    steps: [
      { action: 'follow_up', after: 14 * 24, round: 1 },
      { action: 'stale', after: 28 * 24, answered: false },
      { action: 'take_on', after: 840, carrier: 'caritas' },
    ],
  },
  {
    name: 'D',
    receivedAt: '2026-10-20T09:00:00Z',
    stadtbezirk: 'Ehrenfeld',
    carrierId: 'drk',
    steps: [{ action: 'not_suitable', after: 48, reason: 'rent_too_high' }],
  },
  {
    name: 'E',
    receivedAt: '2026-10-21T09:00:00Z',
    stadtbezirk: 'Ehrenfeld',
    carrierId: 'drk',
    steps: [{ action: 'withdraw', after: 5 }],
  },
  {
    name: 'F',
    receivedAt: '2026-10-25T10:00:00Z',
    stadtbezirk: 'Nippes',
    carrierId: 'drk',
    steps: [
      { action: 'follow_up', after: 14 * 24, round: 1 },
      { action: 'follow_up', after: 28 * 24, round: 2 },
      { action: 'follow_up', after: 42 * 24, round: 3 },
      { action: 'stale', after: 56 * 24, answered: false },
    ],
  },
  {
    name: 'G',
    receivedAt: '2026-10-25T23:30:00Z',
    stadtbezirk: 'Kalk',
    carrierId: 'fluechtlingsrat',
    steps: [
      { action: 'follow_up', after: 14 * 24, round: 1 },
      { action: 'available', after: 15 * 24, round: 1 },
      { action: 'stale', after: 28 * 24, answered: true },
    ],
  },
  { name: 'H', receivedAt: '2026-10-27T09:00:00Z', stadtbezirk: null, carrierId: null },
  { name: 'I', receivedAt: '2026-10-28T09:00:00Z', stadtbezirk: 'Kalk', carrierId: 'fluechtlingsrat', held: true },
  {
    name: 'J',
    receivedAt: '2026-11-02T09:00:00Z',
    stadtbezirk: 'Mülheim',
    carrierId: 'fluechtlingsrat',
    steps: [{ action: 'unavailable', after: 30 }],
  },
  {
    name: 'K',
    receivedAt: '2026-11-03T09:00:00Z',
    stadtbezirk: 'Lindenthal',
    carrierId: 'caritas',
    steps: [
      { action: 'placed', after: 72, carrier: 'caritas' },
      { action: 'aftercare_requested', after: 94 * 24 },
      { action: 'closed', after: 124 * 24 },
    ],
  },
  {
    name: 'L',
    receivedAt: '2026-11-04T09:00:00Z',
    stadtbezirk: 'Kalk',
    carrierId: 'fluechtlingsrat',
    steps: [
      { action: 'take_on', after: 60, carrier: 'fluechtlingsrat' },
      { action: 'placed', after: 10 * 24, carrier: 'fluechtlingsrat' },
    ],
  },
  {
    name: 'P',
    receivedAt: '2026-11-05T09:00:00Z',
    stadtbezirk: 'Chorweiler',
    carrierId: 'drk',
    steps: [{ action: 'not_suitable', after: 20, reason: 'size' }],
  },
  {
    name: 'M',
    receivedAt: '2026-11-10T22:59:00Z',
    stadtbezirk: 'Kalk',
    carrierId: 'fluechtlingsrat',
    steps: [{ action: 'take_on', after: 5, carrier: 'caritas' }],
  },
  {
    name: 'N',
    receivedAt: '2026-11-10T23:00:00Z',
    stadtbezirk: 'Kalk',
    carrierId: 'fluechtlingsrat',
    steps: [{ action: 'withdraw', after: 1 }],
  },
];

/** The store's step for a seeded one, as lifecycle.ts would hand it over. */
function eventInput(reference: string, receivedAt: Date, step: Step): EventInput {
  const now = new Date(receivedAt.getTime() + step.after * hour);
  const base = { reference, now, deliveries: [] };
  switch (step.action) {
    case 'follow_up':
      return {
        ...base,
        action: 'follow_up',
        actor: 'system',
        from: ['open'],
        effects: { followUpSent: true },
        details: { round: step.round! },
      };
    case 'stale':
      return {
        ...base,
        action: 'stale',
        actor: 'system',
        from: ['open'],
        to: 'stale',
        details: { answered: step.answered! },
      };
    case 'aftercare_requested':
      return {
        ...base,
        action: 'aftercare_requested',
        actor: 'system',
        from: ['placed'],
        effects: { aftercareRequested: true },
      };
    case 'closed':
      return {
        ...base,
        action: 'closed',
        actor: 'system',
        from: ['placed'],
        to: 'closed',
        details: { aftercare: 'unanswered' },
      };
    default: {
      const spec = linkActions[step.action];
      const actor = spec.by[0];
      const input: EventInput = {
        ...base,
        action: spec.event,
        actor,
        from: spec.from,
        to: 'to' in spec ? (spec.to as Stage) : undefined,
      };
      if (step.action === 'take_on' || step.action === 'placed') {
        input.actor = 'carrier';
        input.actorId = step.carrier;
        input.effects = { takenOnBy: step.carrier, placed: step.action === 'placed' };
        input.details = { carrier: step.carrier! };
      }
      if (step.action === 'not_suitable') input.details = { reason: step.reason! };
      if (step.action === 'available') {
        input.answersFollowUp = step.round;
        input.details = { round: step.round! };
      }
      if (step.action === 'unavailable') input.details = { round: 0 };
      if (step.action === 'aftercare') {
        input.details = { rating: step.rating!, comment: Boolean(step.comment) };
        if (step.comment) input.effects = { aftercareComment: step.comment };
      }
      return input;
    }
  }
}

/** Stores the history; returns each offer's reference by its letter. */
export async function seedHistory(store: OfferStore): Promise<Record<string, string>> {
  const references: Record<string, string> = {};
  for (const seed of history) {
    const receivedAt = new Date(seed.receivedAt);
    const submissionId = `history-${seed.name}`;
    const { offer } = await store.saveOffer({
      submissionId,
      contentHash: submissionId,
      locale: 'de',
      receivedAt,
      status: seed.held ? 'held' : 'received',
      holdReason: seed.held ? 'too_fast' : undefined,
      stadtbezirk: seed.stadtbezirk ?? undefined,
      carrierId: seed.carrierId ?? undefined,
      routingReason: 'seeded history',
      payload: validOffer({ submissionId, name: `Kanarienname ${seed.name}` }) as unknown as Offer,
      figures: { rooms: 2.5, livingSpace: 62, coldRent: 650, totalRent: 920 },
      // No delivery jobs: nothing is pending, so the purge may erase what has ended.
      deliveries: [],
    });
    references[seed.name] = offer.reference;
    for (const step of seed.steps ?? []) {
      const result = await store.applyEvent(eventInput(offer.reference, receivedAt, step));
      if (result.outcome !== 'done') throw new Error(`seed ${seed.name}: ${step.action} was ${result.outcome}`);
    }
  }
  return references;
}
