import { stadtbezirke } from '../../src/data/cologne.ts';
import { aftercareScale, notSuitableReasons, type NotSuitableReason, type Stage } from '../lifecycle/model.ts';
import type { ReportEvent, ReportOffer } from '../storage/types.ts';
import { addDays, cologneDate, isoWeek, mondayOf, type Period } from './calendar.ts';

/**
 * The coordinator's figures, computed from what stays after the retention purge: the offers'
 * non-personal rows (date, status, stage, Stadtbezirk, carrier) and their events. Pure: the
 * same data gives the same figures, whatever the engine or the clock.
 *
 * The figures follow the offers RECEIVED in the period (a cohort) to where they stand now, so a
 * later step of an earlier offer counts with that offer, not with the week it happened in.
 * Offers held as suspected spam are not offers; they are counted apart.
 */

/** Where an offer stands now; "stale" split by whether the landlord answered the last question. */
export const standings = [
  'open',
  'taken_on',
  'placed',
  'closed',
  'withdrawn',
  'unavailable',
  'not_suitable',
  'stale_unanswered',
  'stale_answered',
] as const;
export type Standing = (typeof standings)[number];

/** One line of a table "by …": how many offers, and how many of them got how far. */
export interface BreakdownRow {
  /** The Stadtbezirk's name or the carrier's id; null: none given (routed to the coordinator alone). */
  key: string | null;
  /** What to show: the Stadtbezirk's or carrier's name (null for the "none" line). */
  name: string | null;
  offered: number;
  takenOn: number;
  placed: number;
}

/** The tables "by …"; the renderers show those present, in the order of words.ts breakdownSections. */
export interface Breakdowns {
  stadtbezirk: BreakdownRow[];
  carrier: BreakdownRow[];
  /** Only once offers carry a campaign code: see `byCampaign`. */
  campaign?: BreakdownRow[];
}
export type BreakdownKey = keyof Breakdowns;

export interface WeekCount {
  /** ISO week, e.g. "2026-W47". */
  id: string;
  year: number;
  week: number;
  /** The week's Monday and Sunday (the week may reach beyond the period: counts are inside it only). */
  monday: string;
  sunday: string;
  offered: number;
}

export interface Figures {
  period: Period;
  /** Offers received in the period (without those held as suspected spam). */
  offered: number;
  /** Held as suspected spam and not released: not counted as offers. */
  held: number;
  /** Where the offers stand now; the lines add up to `offered`. */
  standing: Record<Standing, number>;
  /** Of the offers that are "not suitable" now: the reason given. */
  notSuitable: Record<NotSuitableReason, number>;
  /**
   * How far the offers got, by their events. Each step counts the offers that reached it or a
   * later one (an offer placed without a "taken on" click was taken on all the same).
   */
  funnel: { offered: number; takenOn: number; placed: number; aftercareAnswered: number };
  /** Time from the offer to its first "taken on", over the offers that have one. */
  timeToTakenOn: { offers: number; medianHours: number | null; medianDays: number | null };
  /** Every ISO week that touches the period, empty ones too. */
  weeks: WeekCount[];
  by: Breakdowns;
  aftercare: {
    /** The question went out. */
    asked: number;
    answered: number;
    /** The question expired without an answer. */
    unanswered: number;
    /** Answers per step of the scale, 1 (very bad) to 5 (very good). */
    ratings: Array<{ rating: number; count: number }>;
    /** Answers with a comment (its text is personal and not in the figures). */
    withComment: number;
  };
}

export interface FigureOptions extends Period {
  /** The carriers as content/carriers.yaml lists them (id and name; every one gets a line). */
  carriers: ReadonlyArray<{ id: string; name: string }>;
  /** Every Stadtbezirk gets a line, offers or not; Cologne's nine by default. */
  stadtbezirke?: readonly string[];
}

/** The figures of the offers received in the period (Cologne dates, both included). */
export function computeFigures(
  data: { offers: readonly ReportOffer[]; events: readonly ReportEvent[] },
  options: FigureOptions,
): Figures {
  const { from, to } = options;
  const inPeriod = data.offers.filter((o) => {
    const date = cologneDate(o.receivedAt);
    return date >= from && date <= to;
  });
  const offers = inPeriod.filter((o) => o.status !== 'held');
  const eventsOf = new Map<number, ReportEvent[]>();
  for (const event of data.events) {
    const list = eventsOf.get(event.offerId) ?? [];
    list.push(event);
    eventsOf.set(event.offerId, list);
  }
  for (const list of eventsOf.values()) list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  const progress = new Map(offers.map((o) => [o.id, progressOf(eventsOf.get(o.id) ?? [])]));

  const standing = Object.fromEntries(standings.map((s) => [s, 0])) as Record<Standing, number>;
  const notSuitable = Object.fromEntries(notSuitableReasons.map((r) => [r, 0])) as Record<NotSuitableReason, number>;
  for (const offer of offers) {
    const p = progress.get(offer.id)!;
    standing[standingOf(offer.stage, p)]++;
    if (offer.stage === 'not_suitable') notSuitable[p.reason]++;
  }

  const funnel = { offered: offers.length, takenOn: 0, placed: 0, aftercareAnswered: 0 };
  const waits: number[] = [];
  const aftercare = { asked: 0, answered: 0, unanswered: 0, withComment: 0 };
  const ratings = new Map<number, number>(aftercareScale.map((r) => [r, 0]));
  for (const offer of offers) {
    const p = progress.get(offer.id)!;
    if (p.takenOn) funnel.takenOn++;
    if (p.placed) funnel.placed++;
    if (p.answer) funnel.aftercareAnswered++;
    if (p.firstTakenOnAt !== undefined) waits.push(p.firstTakenOnAt - Date.parse(offer.receivedAt));
    if (p.asked) aftercare.asked++;
    if (p.unanswered) aftercare.unanswered++;
    if (p.answer) {
      aftercare.answered++;
      if (ratings.has(p.answer.rating)) ratings.set(p.answer.rating, ratings.get(p.answer.rating)! + 1);
      if (p.answer.comment) aftercare.withComment++;
    }
  }
  const medianHours = waits.length ? Math.round(median(waits) / 3_600_000) : null;

  const row = (o: ReportOffer) => progress.get(o.id)!;
  return {
    period: { from, to },
    offered: offers.length,
    held: inPeriod.length - offers.length,
    standing,
    notSuitable,
    funnel,
    timeToTakenOn: {
      offers: waits.length,
      medianHours,
      medianDays: medianHours === null ? null : medianHours / 24,
    },
    weeks: weeksOf(offers, { from, to }),
    by: {
      stadtbezirk: breakdown(
        offers,
        (o) => o.stadtbezirk,
        options.stadtbezirke ?? stadtbezirke,
        (key) => key,
        row,
      ),
      carrier: breakdown(
        offers,
        // The carrier of record: the one who took the offer on, else the one the routing table named.
        (o) => o.takenOnBy ?? o.carrierId,
        options.carriers.map((c) => c.id),
        (key) => options.carriers.find((c) => c.id === key)?.name ?? key,
        row,
      ),
      ...byCampaign(offers, row),
    },
    aftercare: { ...aftercare, ratings: [...ratings].map(([rating, count]) => ({ rating, count })) },
  };
}

/**
 * OFFERS PER CAMPAIGN: the one place to fill in. Offers do not carry a campaign code on this
 * branch; branch outreach-form adds one (column offers.campaign, migration 0006, and
 * store.campaignCounts(from, to)). Once ReportOffer has `campaign` (reportData selects it), this
 * returns
 *
 *   { campaign: breakdown(offers, (o) => o.campaign, campaigns.map((c) => c.code), nameOf, progress) }
 *
 * with the codes of content/campaigns.yaml as the known keys (passed in like `carriers`), and the
 * text, the HTML page (chart and table) and the weekly mail show the table "Angebote nach
 * Kampagne" by themselves (words.ts breakdownSections already has its entry and html.ts its
 * colour). Until then it returns nothing, and no renderer shows an empty table.
 */
function byCampaign(
  _offers: readonly ReportOffer[],
  _progress: (o: ReportOffer) => Progress,
): Pick<Breakdowns, 'campaign'> {
  return {};
}

interface Progress {
  takenOn: boolean;
  placed: boolean;
  firstTakenOnAt?: number;
  reason: NotSuitableReason;
  staleAnswered: boolean;
  asked: boolean;
  unanswered: boolean;
  answer?: { rating: number; comment: boolean };
}

/** What an offer's events say about how far it got. */
function progressOf(events: readonly ReportEvent[]): Progress {
  const has = (action: ReportEvent['action']) => events.some((e) => e.action === action);
  const last = (action: ReportEvent['action']) => events.findLast((e) => e.action === action);
  const answer = last('aftercare_answered');
  const placed = has('placed') || Boolean(answer);
  const firstTakenOn = events.find((e) => e.action === 'taken_on');
  const reason = last('not_suitable')?.details.reason;
  return {
    takenOn: placed || Boolean(firstTakenOn),
    placed,
    firstTakenOnAt: firstTakenOn ? Date.parse(firstTakenOn.at) : undefined,
    reason: notSuitableReasons.includes(reason as NotSuitableReason) ? (reason as NotSuitableReason) : 'other',
    staleAnswered: last('stale')?.details.answered === true,
    asked: has('aftercare_requested'),
    unanswered: events.some((e) => e.action === 'closed' && e.details.aftercare === 'unanswered'),
    answer: answer ? { rating: Number(answer.details.rating), comment: answer.details.comment === true } : undefined,
  };
}

function standingOf(stage: Stage, p: Progress): Standing {
  if (stage === 'stale') return p.staleAnswered ? 'stale_answered' : 'stale_unanswered';
  return stage;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function weeksOf(offers: readonly ReportOffer[], period: Period): WeekCount[] {
  const weeks: WeekCount[] = [];
  for (let monday = mondayOf(period.from); monday <= period.to; monday = addDays(monday, 7)) {
    const { id, year, week } = isoWeek(monday);
    weeks.push({ id, year, week, monday, sunday: addDays(monday, 6), offered: 0 });
  }
  const byId = new Map(weeks.map((w) => [w.id, w]));
  for (const offer of offers) byId.get(isoWeek(cologneDate(offer.receivedAt)).id)!.offered++;
  return weeks;
}

/**
 * Offers counted per key. Every known key gets a line (zero shows where nothing comes from);
 * keys found in the data but not known (a carrier since removed) get one too. Largest first,
 * ties in the known order; the "none" line comes last.
 */
function breakdown(
  offers: readonly ReportOffer[],
  keyOf: (o: ReportOffer) => string | null,
  known: readonly string[],
  nameOf: (key: string) => string,
  progress: (o: ReportOffer) => Progress,
): BreakdownRow[] {
  const rows = new Map<string | null, BreakdownRow>(
    known.map((key) => [key, { key, name: nameOf(key), offered: 0, takenOn: 0, placed: 0 }]),
  );
  for (const offer of offers) {
    const key = keyOf(offer);
    let row = rows.get(key);
    if (!row)
      rows.set(key, (row = { key, name: key === null ? null : nameOf(key), offered: 0, takenOn: 0, placed: 0 }));
    const p = progress(offer);
    row.offered++;
    if (p.takenOn) row.takenOn++;
    if (p.placed) row.placed++;
  }
  const order = [...rows.keys()];
  return [...rows.values()].sort(
    (a, b) =>
      Number(a.key === null) - Number(b.key === null) ||
      b.offered - a.offered ||
      order.indexOf(a.key) - order.indexOf(b.key),
  );
}
