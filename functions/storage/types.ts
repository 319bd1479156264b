import type { Offer } from '../../src/schemas/offer.ts';
import type { Actor, EventAction, Stage } from '../lifecycle/model.ts';

/**
 * What the portal needs from a storage engine. Two implementations keep the same behaviour:
 * SQLite in DATA_DIR (the embedded default, `sqlite.ts`) and PostgreSQL (`DATABASE_URL`,
 * `postgres.ts`); Cloudflare D1 speaks the SQLite dialect. Nothing outside a store touches its
 * database handle: the intake, the worker and the operator commands use these methods only.
 */

export type Channel = 'email' | 'webhook';
export type RecipientKind = 'coordinator' | 'carrier' | 'landlord';

/** One recipient of an offer on one channel. */
export interface DeliveryTarget {
  channel: Channel;
  recipientKind: RecipientKind;
  /** Who: 'coordinator', the carrier id, or 'landlord'. */
  recipientId: string;
  /** Where: an e-mail address or a webhook URL. */
  target: string;
}

/**
 * 'received': delivered to its recipients. 'held': suspected spam (honeypot filled, sent
 * implausibly fast), stored and shown to the coordinator, delivered only once released.
 */
export type OfferStatus = 'received' | 'held';

/** The non-personal facts that stay after the personal data is erased, for the figures. */
export interface OfferFigures {
  rooms: number;
  livingSpace: number;
  coldRent: number;
  totalRent: number;
}

export interface NewOffer {
  submissionId: string;
  /** Hash of the submitted content: the same submission id with other content is a conflict. */
  contentHash: string;
  locale: string;
  receivedAt: Date;
  status: OfferStatus;
  holdReason?: string;
  stadtbezirk?: string;
  carrierId?: string;
  routingReason: string;
  payload: Offer;
  figures: OfferFigures;
  /** Jobs created in the same transaction; none for held offers (they get theirs when released). */
  deliveries: DeliveryTarget[];
}

export interface StoredOffer {
  id: number;
  reference: string;
  submissionId: string;
  receivedAt: string;
  locale: string;
  status: OfferStatus;
  holdReason: string | null;
  stadtbezirk: string | null;
  carrierId: string | null;
  routingReason: string;
  /** null once the personal data is erased. */
  payload: Offer | null;
  erasedAt: string | null;
  /** Where the offer stands in its life (functions/lifecycle/model.ts). */
  stage: Stage;
  /** The carrier who took it on, if any. */
  takenOnBy: string | null;
  followUps: number;
  lastFollowUpAt: string | null;
  /** The number of the last follow-up the landlord answered (0: none). */
  followUpAnswered: number;
  placedAt: string | null;
  aftercareRequestedAt: string | null;
  /** When its life ended (withdrawn, unavailable, not suitable, stale, closed): retention counts from here. */
  endedAt: string | null;
}

/** A step in an offer's life: never personal data, so it stays after the purge (figures). */
export interface OfferEvent {
  id: number;
  /** 1 = the submission. */
  seq: number;
  at: string;
  actor: Actor;
  /** The carrier's id when a carrier acted. */
  actorId: string | null;
  action: EventAction;
  /** Where the offer stood right after it. */
  stage: Stage;
  details: Readonly<Record<string, string | number | boolean>>;
}

/** A step to apply to an offer, and who is to be told of it. */
export interface EventInput {
  reference: string;
  action: EventAction;
  actor: Actor;
  actorId?: string;
  /** The stages from which the step is allowed. */
  from: readonly Stage[];
  /** The stage afterwards (undefined: it stays). An end stage sets the end of the offer's life. */
  to?: Stage;
  /** The step counts once per follow-up: only while the last answered follow-up is below this. */
  answersFollowUp?: number;
  effects?: {
    takenOnBy?: string;
    placed?: boolean;
    followUpSent?: boolean;
    aftercareRequested?: boolean;
    /** Personal (free text): stored with the offer's personal data, erased with it. */
    aftercareComment?: string;
  };
  details?: Readonly<Record<string, string | number | boolean>>;
  deliveries: readonly DeliveryTarget[];
  now: Date;
}

export type EventOutcome =
  | { outcome: 'done'; event: OfferEvent; offer: StoredOffer }
  /** The offer exists, but the step is not (or no longer) possible from where it stands. */
  | { outcome: 'not_allowed'; offer: StoredOffer }
  | { outcome: 'unknown' };

/** What the schedule has to do now (functions/lifecycle/schedule.ts). */
export interface LifecycleDue {
  /** Open offers whose next "still available?" question is due. */
  followUp: StoredOffer[];
  /** Open offers whose last follow-up was asked an interval ago: their life ends. */
  stale: StoredOffer[];
  /** Placed offers whose after-care period is over: the question goes out. */
  aftercare: StoredOffer[];
  /** Placed offers whose after-care question went unanswered. */
  aftercareExpired: StoredOffer[];
}

/** The non-personal record of an offer, for the figures. */
export interface ReportOffer {
  id: number;
  receivedAt: string;
  status: OfferStatus;
  stage: Stage;
  stadtbezirk: string | null;
  carrierId: string | null;
  takenOnBy: string | null;
}
export interface ReportEvent {
  offerId: number;
  at: string;
  actor: Actor;
  actorId: string | null;
  action: EventAction;
  details: Readonly<Record<string, string | number | boolean>>;
}

/** created: stored now; duplicate: the same submission again (same content); conflict: same id, other content. */
export type SaveOutcome = 'created' | 'duplicate' | 'conflict';

export type JobStatus = 'pending' | 'delivered' | 'dead';

export interface JobSummary extends DeliveryTarget {
  id: number;
  status: JobStatus;
  attempts: number;
}

/** A job claimed by a worker, with what it needs of its offer and event to build the message. */
export interface ClaimedJob extends DeliveryTarget {
  id: number;
  offerId: number;
  /** Counting this attempt. */
  attempts: number;
  /** The step it tells of (seq 1: the submission). */
  event: OfferEvent;
  offer: {
    stage: Stage;
    takenOnBy: string | null;
    reference: string;
    receivedAt: string;
    locale: string;
    stadtbezirk: string | null;
    carrierId: string | null;
    routingReason: string;
    /** null when the offer's personal data was erased before the job ran (the job then dies). */
    payload: Offer | null;
    /** The landlord's after-care comment, if any (personal: erased with the payload). */
    aftercareComment: string | null;
  };
}

export type JobResult =
  | { id: number; state: 'delivered'; at: Date; detail: string }
  | { id: number; state: 'retry'; nextAttemptAt: Date; detail: string }
  | { id: number; state: 'dead'; at: Date; detail: string };

export interface DeadJob {
  id: number;
  reference: string;
  channel: Channel;
  recipientKind: RecipientKind;
  recipientId: string;
  attempts: number;
  lastError: string | null;
}

export interface JobListing {
  id: number;
  reference: string;
  channel: Channel;
  recipient: RecipientKind;
  who: string;
  attempts: number;
  nextAttempt: string;
  lastError: string | null;
}

export interface HeldOffer {
  reference: string;
  receivedAt: string;
  reason: string | null;
  stadtteil: string | null;
  rooms: number | null;
}

export interface QueueHealth {
  pending: number;
  dead: number;
  /** Seconds since the oldest pending job became due; 0 when none is waiting. */
  oldestPendingSeconds: number;
}

/** The delivery jobs: claimed under a lease, so several workers can share one queue. */
export interface DeliveryQueue {
  /** Claims up to `limit` due jobs for `worker` until now + leaseMs; expired leases are taken over. */
  claim(options: { now: Date; leaseMs: number; limit: number; worker: string }): Promise<ClaimedJob[]>;
  /** Records the outcomes of one batch (one transaction). */
  record(results: readonly JobResult[]): Promise<void>;
  /** Hands back the claims of a worker that stops (they become due at once). */
  release(worker: string): Promise<number>;
  /** Jobs due now and not under a lease. */
  dueCount(now: Date): Promise<number>;
  unalertedDead(): Promise<DeadJob[]>;
  markAlerted(ids: readonly number[], at: Date): Promise<void>;
  counts(): Promise<Array<{ status: JobStatus; channel: Channel; jobs: number }>>;
  list(status: 'pending' | 'dead', limit?: number): Promise<JobListing[]>;
  /** Makes a dead job (or all) pending again; returns how many. */
  retryDead(id: number | 'all', now: Date): Promise<number>;
  health(now: Date): Promise<QueueHealth>;
}

export interface PurgeResult {
  /** Offers whose personal data was erased now. */
  erased: number;
  /** Of these, held offers nobody released. */
  heldErased: number;
  /** References of the erased offers (to remove their mail files). */
  references: string[];
}

export interface OfferStore {
  readonly engine: 'sqlite' | 'postgres' | 'd1';
  /** Applies one step of the offer's life, once: the stage change, its event and its jobs together. */
  applyEvent(input: EventInput): Promise<EventOutcome>;
  eventsOf(offerId: number): Promise<OfferEvent[]>;
  lifecycleDue(options: {
    now: Date;
    followUpIntervalMs: number;
    maxFollowUps: number;
    aftercareAfterMs: number;
    aftercareAnswerMs: number;
    limit: number;
  }): Promise<LifecycleDue>;
  /** Offers received in [from, to) and all their events: non-personal only. */
  reportData(from: Date, to: Date): Promise<{ offers: ReportOffer[]; events: ReportEvent[] }>;
  /** Stores the offer once per submission id, with its delivery jobs, in one transaction. */
  saveOffer(offer: NewOffer): Promise<{ outcome: SaveOutcome; offer: StoredOffer }>;
  findByReference(reference: string): Promise<StoredOffer | undefined>;
  countOffers(): Promise<number>;
  jobsOf(offerId: number): Promise<JobSummary[]>;
  /** Landlord confirmations queued for this address since `since` (the daily cap). */
  landlordConfirmationsSince(email: string, since: Date): Promise<number>;
  /** Held offers, oldest first, without personal data. */
  heldOffers(): Promise<HeldOffer[]>;
  /** Turns a held offer into a received one and queues its deliveries. */
  releaseHeld(reference: string, deliveries: readonly DeliveryTarget[], now: Date): Promise<'released' | 'not_held'>;
  /**
   * Erases the personal data of offers whose life ended before `offerCutoff` (withdrawn ones at
   * once) and whose deliveries are final, and of held offers received before `heldCutoff`; keeps
   * the non-personal record and the events.
   */
  purge(options: { offerCutoff: Date; heldCutoff: Date; now: Date }): Promise<PurgeResult>;
  /** A remembered fact (e.g. when the last digest went out). */
  marker(name: string): Promise<string | undefined>;
  setMarker(name: string, value: string): Promise<void>;
  /** Can the engine be reached at all (health check). */
  ping(): Promise<void>;
  readonly queue: DeliveryQueue;
  close(): Promise<void>;
}
