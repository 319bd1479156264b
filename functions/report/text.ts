import { notSuitableReasons } from '../lifecycle/model.ts';
import { heading, paragraphs } from '../mail/text.ts';
import { standings, type Figures } from './figures.ts';
import {
  breakdownName,
  breakdownsOf,
  cohortNote,
  count,
  funnelSteps,
  generatedLabel,
  glanceCounts,
  heldNote,
  periodLabel,
  ratingLabel,
  reasonLabels,
  share,
  standingLabels,
  title,
  waitLabel,
  waitNote,
  weekDates,
  weekName,
} from './words.ts';

/**
 * The figures as plain German text, for the terminal (`npm run report`) and the weekly mail's
 * text part: headings underlined, numbers in right-aligned columns so they can be compared at a
 * glance and copied line by line.
 */
export function renderText(figures: Figures, options: { generatedAt: Date }): string {
  const f = figures;
  const glance = columns(
    [],
    [
      ...glanceCounts(f).map((g) => [g.label, count(g.value)]),
      [
        'Zeit bis zur Übernahme (Median)',
        f.timeToTakenOn.medianHours === null ? '–' : waitLabel(f.timeToTakenOn.medianHours),
      ],
    ],
  );
  const standing = columns(
    ['Stand', 'Angebote'],
    standings.flatMap((s) => [
      [standingLabels[s], count(f.standing[s])],
      ...(s === 'not_suitable' && f.standing.not_suitable > 0
        ? notSuitableReasons.map((r) => [`  davon ${reasonLabels[r]}`, count(f.notSuitable[r])])
        : []),
    ]),
  );
  const funnel = columns(
    ['Schritt', 'Angebote', 'Anteil'],
    funnelSteps.map((s) => [s.label, count(f.funnel[s.key]), share(f.funnel[s.key], f.funnel.offered)]),
  );
  const weeks = columns(
    ['Woche', 'Angebote'],
    f.weeks.map((w) => [`${weekName(w)} (${weekDates(w)})`, count(w.offered)]),
  );
  const breakdowns = breakdownsOf(f).map((section) =>
    block(
      section.heading,
      columns(
        [section.column, 'Angebote', 'übernommen', 'vermittelt'],
        section.rows.map((row) => [
          breakdownName(row, section.none),
          count(row.offered),
          count(row.takenOn),
          count(row.placed),
        ]),
      ),
      section.note,
    ),
  );
  const a = f.aftercare;
  const aftercare = [
    columns(
      [],
      [
        ['Frage gestellt', count(a.asked)],
        ['beantwortet', count(a.answered)],
        ['ohne Antwort abgelaufen', count(a.unanswered)],
        ['Antworten mit Kommentar', count(a.withComment)],
      ],
    ),
    columns(
      ['Wie ist das Mietverhältnis gestartet?', 'Antworten'],
      a.ratings.map((r) => [ratingLabel(r.rating), count(r.count)]),
    ),
  ].join('\n\n');

  return paragraphs(
    heading(title, '='),
    `Zeitraum: ${periodLabel(f.period)}. ${generatedLabel(options.generatedAt)}.\n${cohortNote}`,
    block('Auf einen Blick', glance, f.held > 0 && heldNote(f.held)),
    block('Der Weg der Angebote', funnel),
    block('Wo die Angebote heute stehen', standing),
    block(
      'Zeit bis zur Übernahme',
      f.timeToTakenOn.medianHours === null
        ? 'Noch kein Angebot aus diesem Zeitraum wurde übernommen.'
        : `${waitLabel(f.timeToTakenOn.medianHours)}. ${waitNote(f.timeToTakenOn.offers)}`,
    ),
    block('Angebote pro Woche', weeks),
    ...breakdowns,
    block('Nachbetreuung', aftercare),
  );
}

function block(title: string, body: string, note?: string | false): string {
  return [heading(title, '-'), body, note || undefined].filter(Boolean).join('\n');
}

/** Rows as columns: the first left-aligned, the others right-aligned (numbers). */
function columns(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = header.length ? [header, ...rows] : rows;
  const width = (i: number) => Math.max(...all.map((r) => Array.from(r[i] ?? '').length));
  const widths = (all[0] ?? []).map((_, i) => width(i));
  const pad = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const fill = ' '.repeat(widths[i]! - Array.from(cell).length);
        return i === 0 ? cell + fill : fill + cell;
      })
      .join('   ')
      .trimEnd();
  return all.map(pad).join('\n');
}
