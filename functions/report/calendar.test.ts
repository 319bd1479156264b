import { describe, expect, it } from 'vitest';
import { parseReportArgs } from './args.ts';
import {
  addDays,
  cologneDate,
  cologneMidnight,
  isCalendarDate,
  isoWeek,
  lastFullWeeks,
  mondayOf,
  periodBounds,
} from './calendar.ts';

describe("Cologne's calendar", () => {
  it.each([
    // Summer time (UTC+2), winter time (UTC+1), and the days the clocks change.
    ['2026-07-01', '2026-06-30T22:00:00.000Z'],
    ['2026-12-01', '2026-11-30T23:00:00.000Z'],
    ['2026-03-29', '2026-03-28T23:00:00.000Z'],
    ['2026-03-30', '2026-03-29T22:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'],
    ['2026-10-26', '2026-10-25T23:00:00.000Z'],
  ])('a Cologne day %s begins at %s', (date, instant) => {
    expect(cologneMidnight(date).toISOString()).toBe(instant);
    expect(cologneDate(instant)).toBe(date);
    expect(cologneDate(new Date(Date.parse(instant) - 1))).toBe(addDays(date, -1));
  });

  it.each([
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    ['2027-01-01', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2026-11-16', '2026-W47'],
    ['2026-11-22', '2026-W47'],
  ])('%s lies in ISO week %s', (date, week) => {
    expect(isoWeek(date).id).toBe(week);
  });

  it('finds the Monday of a week, across a month and a year', () => {
    expect(mondayOf('2026-11-22')).toBe('2026-11-16');
    expect(mondayOf('2026-11-16')).toBe('2026-11-16');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });

  it('tells real dates from others', () => {
    for (const good of ['2026-02-28', '2028-02-29', '2026-12-31']) expect(isCalendarDate(good), good).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00', ''])
      expect(isCalendarDate(bad), bad).toBe(false);
  });

  it('covers a period from the first midnight to the midnight after its last day', () => {
    const { start, end } = periodBounds({ from: '2026-10-14', to: '2026-11-10' });
    expect([start.toISOString(), end.toISOString()]).toEqual(['2026-10-13T22:00:00.000Z', '2026-11-10T23:00:00.000Z']);
  });

  it('knows the last full weeks, Monday to Sunday in Cologne', () => {
    // Monday 23.11.2026, 00:30 in Cologne is still Sunday in UTC.
    expect(lastFullWeeks(new Date('2026-11-22T23:30:00Z'), 1)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(lastFullWeeks(new Date('2026-11-22T22:30:00Z'), 1)).toEqual({ from: '2026-11-09', to: '2026-11-15' });
    expect(lastFullWeeks(new Date('2026-11-25T12:00:00Z'), 4)).toEqual({ from: '2026-10-26', to: '2026-11-22' });
  });
});

describe('npm run report: arguments', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it.each([
    [[], { period: { from: '2026-10-26', to: '2026-11-22' }, html: undefined }],
    [['--from', '2026-11-01'], { period: { from: '2026-11-01', to: '2026-11-24' }, html: undefined }],
    [['--to', '2026-11-08'], { period: { from: '2026-10-12', to: '2026-11-08' }, html: undefined }],
    [
      ['--from', '2026-01-01', '--to', '2026-12-31', '--html', 'zahlen.html'],
      { period: { from: '2026-01-01', to: '2026-12-31' }, html: 'zahlen.html' },
    ],
    [['--from=2026-11-02', '--to=2026-11-02'], { period: { from: '2026-11-02', to: '2026-11-02' }, html: undefined }],
  ])('%j', (argv, expected) => {
    expect(parseReportArgs(argv, now)).toEqual(expected);
  });

  it.each([
    [['--from', '2026-02-30'], /--from "2026-02-30" ist kein gültiges Datum/],
    [['--to', '1.11.2026'], /--to "1.11.2026" ist kein gültiges Datum: bitte als JJJJ-MM-TT/],
    [['--from', '2026-11-10', '--to', '2026-11-01'], /Zeitraum ist leer/],
    [['--from', '2016-01-01', '--to', '2026-01-01'], /länger als fünf Jahre/],
    [['--html'], /--html/],
    [['--html', ' '], /--html braucht einen Dateinamen/],
    [['--since', '2026-11-01'], /since/],
    [['2026-11-01'], /Aufruf: npm run report/],
  ])('refuses %j', (argv, message) => {
    const result = parseReportArgs(argv, now);
    expect('error' in result && result.error).toMatch(message);
    expect('error' in result && result.error).toContain('Aufruf: npm run report');
  });
});
