import { parseArgs } from 'node:util';
import { addDays, cologneDate, daysBetween, isCalendarDate, lastFullWeeks, type Period } from './calendar.ts';

/**
 * The arguments of `npm run report`. Without dates: the last four full weeks (Monday to Sunday,
 * Cologne time) before today's week. With --from only: up to yesterday. With --to only: the four
 * weeks ending that day. Both dates are included.
 */
export const usage =
  'Aufruf: npm run report -- [--from JJJJ-MM-TT] [--to JJJJ-MM-TT] [--html DATEI]\n' +
  '  ohne Datum: die letzten vier vollen Wochen (Montag bis Sonntag); beide Tage zählen mit.';

/** Five years: a longer period is almost certainly a typing error (and a very long page). */
const maxDays = 5 * 366;

export type ReportArgs = { period: Period; html?: string } | { error: string };

export function parseReportArgs(argv: readonly string[], now: Date): ReportArgs {
  let values: { from?: string; to?: string; html?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { from: { type: 'string' }, to: { type: 'string' }, html: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: `${(error as Error).message.split('\n')[0]}\n${usage}` };
  }
  for (const name of ['from', 'to'] as const) {
    const value = values[name];
    if (value !== undefined && !isCalendarDate(value)) {
      return {
        error: `--${name} "${value}" ist kein gültiges Datum: bitte als JJJJ-MM-TT angeben, z. B. 2026-11-02.\n${usage}`,
      };
    }
  }
  if (values.html !== undefined && values.html.trim() === '')
    return { error: `--html braucht einen Dateinamen.\n${usage}` };
  let period: Period;
  if (values.from === undefined && values.to === undefined) period = lastFullWeeks(now, 4);
  else if (values.to === undefined) period = { from: values.from!, to: addDays(cologneDate(now), -1) };
  else period = { from: values.from ?? addDays(values.to, -27), to: values.to };
  if (period.from > period.to) {
    return { error: `Der Zeitraum ist leer: --from ${period.from} liegt nach --to ${period.to}.\n${usage}` };
  }
  if (daysBetween(period.from, period.to) >= maxDays) {
    return {
      error: `Der Zeitraum ${period.from} bis ${period.to} ist länger als fünf Jahre: bitte kürzer wählen.\n${usage}`,
    };
  }
  return { period, html: values.html };
}
