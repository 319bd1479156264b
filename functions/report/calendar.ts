/**
 * Cologne's calendar for the figures: calendar dates ("YYYY-MM-DD") in Europe/Berlin, ISO weeks
 * (Monday to Sunday) and the instants where a Cologne day begins. A calendar date has no time
 * zone, so date arithmetic runs in UTC and never shifts a day; only the step from a date to an
 * instant (and back) asks for Berlin's offset, which differs in summer and winter.
 */
const cologne = 'Europe/Berlin';
const dayMs = 24 * 3600 * 1000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: cologne,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The wall-clock reading in Cologne of an instant, as if it were UTC (for the offset). */
function cologneWallClock(instant: number): { date: string; asUtc: number } {
  const p = Object.fromEntries(parts.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return { date, asUtc: asUtc + Number(p.second) * 1000 };
}

/** Is this a real calendar date written as YYYY-MM-DD ("2026-02-30" is not)? */
export function isCalendarDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function utcOf(date: string): number {
  const m = datePattern.exec(date);
  if (!m || !isCalendarDate(date)) throw new Error(`not a calendar date: "${date}"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

const dateOfUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Cologne calendar date of an instant. */
export function cologneDate(instant: Date | string): string {
  return cologneWallClock(new Date(instant).getTime()).date;
}

/** The instant a Cologne calendar day begins (midnight is never skipped or doubled by DST). */
export function cologneMidnight(date: string): Date {
  const utc = utcOf(date);
  const offsetAt = (instant: number) => cologneWallClock(instant).asUtc - instant;
  // Berlin's offset at the UTC midnight is a guess; the offset at the guessed instant is right.
  return new Date(utc - offsetAt(utc - offsetAt(utc)));
}

export function addDays(date: string, days: number): string {
  return dateOfUtc(utcOf(date) + days * dayMs);
}

/** Days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcOf(b) - utcOf(a)) / dayMs);
}

/** 0 = Monday … 6 = Sunday. */
const weekday = (date: string) => (new Date(utcOf(date)).getUTCDay() + 6) % 7;

/** The Monday of the ISO week a date lies in. */
export function mondayOf(date: string): string {
  return addDays(date, -weekday(date));
}

/** The ISO week of a date: the week belongs to the year of its Thursday. */
export function isoWeek(date: string): { year: number; week: number; id: string } {
  const thursday = addDays(date, 3 - weekday(date));
  const year = Number(thursday.slice(0, 4));
  const week = 1 + Math.floor(daysBetween(`${year}-01-01`, thursday) / 7);
  return { year, week, id: `${year}-W${String(week).padStart(2, '0')}` };
}

/** A period of Cologne calendar dates, both included. */
export interface Period {
  from: string;
  to: string;
}

/** The instants [start, end) a period covers: for the store's query. */
export function periodBounds(period: Period): { start: Date; end: Date } {
  return { start: cologneMidnight(period.from), end: cologneMidnight(addDays(period.to, 1)) };
}

/** The `count` full weeks (Monday to Sunday) before the week `now` lies in. */
export function lastFullWeeks(now: Date, count: number): Period {
  const monday = mondayOf(cologneDate(now));
  return { from: addDays(monday, -7 * count), to: addDays(monday, -1) };
}
