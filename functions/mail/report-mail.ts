import { notSuitableReasons } from '../lifecycle/model.ts';
import { standings, type Figures } from '../report/figures.ts';
import { renderText } from '../report/text.ts';
import {
  breakdownName,
  breakdownsOf,
  cohortNote,
  count,
  funnelSteps,
  glanceCounts,
  periodLabel,
  ratingLabel,
  reasonLabels,
  share,
  standingLabels,
  waitLabel,
  weekDates,
  weekName,
} from '../report/words.ts';
import { footer, layout, p, tables, type TableRow } from './layout.ts';
import { heading, paragraphs, rowsText } from './text.ts';
import type { RenderedMail } from './types.ts';

/**
 * The coordinator's weekly figures: the last full week in detail and the last twelve weeks at a
 * glance, with the twelve weeks as a page with charts attached (there is no login to link to).
 * Counts only: nothing in it is personal.
 */
export interface ReportMailInput {
  /** The last full week (Monday to Sunday). */
  week: Figures;
  /** The twelve weeks up to and including it. */
  recent: Figures;
  /** The name of the attached HTML page. */
  attachment: string;
  generatedAt: Date;
}

export function renderReportMail(input: ReportMailInput): RenderedMail {
  const { week, recent } = input;
  const first = week.weeks[0]!;
  const subject =
    `Zahlen der Woche ${weekName(first)}: ${count(week.offered)} ${week.offered === 1 ? 'Angebot' : 'Angebote'}, ` +
    `${count(week.funnel.takenOn)} übernommen, ${count(week.funnel.placed)} vermittelt`;
  const intro =
    `Guten Tag, hier sind die Zahlen des Wohnungsportals für die Woche ${weekName(first)} (${weekDates(first)}) ` +
    `und für die letzten zwölf Wochen (${periodLabel(recent.period)}).`;
  const attachmentNote =
    `Im Anhang (${input.attachment}) stehen die zwölf Wochen mit Diagrammen: Die Datei öffnet sich in jedem Browser, ` +
    'auch ohne Internet, und lässt sich auf A4 drucken.';
  const commandNote =
    'Andere Zeiträume: npm run report -- --from JJJJ-MM-TT --to JJJJ-MM-TT (mit --html DATEI auch als Seite mit Diagrammen).';

  const none = '–';
  const groups = [
    { title: `Die Woche: ${weekName(first)}`, rows: glanceRows(week) },
    { title: `Die letzten zwölf Wochen: ${periodLabel(recent.period)}`, rows: glanceRows(recent) },
  ];
  const detail = detailGroups(week);

  const text = paragraphs(
    heading(subject, '='),
    intro,
    attachmentNote,
    rowsText(groups.slice(1), none),
    `Die Woche im Einzelnen:\n\n${renderText(week, { generatedAt: input.generatedAt })}`.trimEnd(),
    commandNote,
  );
  const body = [
    p(intro),
    p(attachmentNote),
    tables([...groups, ...detail], none),
    p(cohortNote, { spaced: true }),
    footer(commandNote),
  ];
  return { subject, text, html: layout({ lang: 'de', title: subject, preheader: intro, body }) };
}

function glanceRows(f: Figures): TableRow[] {
  const wait = f.timeToTakenOn.medianHours;
  return [
    ...glanceCounts(f).map((g) => ({ label: g.label, value: count(g.value), nowrap: true })),
    { label: 'Zeit bis zur Übernahme (Median)', value: wait === null ? undefined : waitLabel(wait) },
    { label: 'als Verdacht auf Spam zurückgehalten (nicht mitgezählt)', value: count(f.held), nowrap: true },
  ];
}

/** The week's figures as the tables of a mail (mail clients get no charts). */
function detailGroups(f: Figures): Array<{ title: string; rows: TableRow[] }> {
  const n = (value: number) => ({ value: count(value), nowrap: true });
  return [
    {
      title: 'Der Weg der Angebote dieser Woche',
      rows: funnelSteps.map((s) => ({
        label: s.label,
        value: `${count(f.funnel[s.key])} (${share(f.funnel[s.key], f.funnel.offered)})`,
        nowrap: true,
      })),
    },
    {
      title: 'Wo die Angebote dieser Woche heute stehen',
      rows: standings.flatMap((key) => [
        { label: standingLabels[key], ...n(f.standing[key]) },
        ...(key === 'not_suitable' && f.standing.not_suitable > 0
          ? notSuitableReasons.map((r) => ({ label: `davon ${reasonLabels[r]}`, ...n(f.notSuitable[r]) }))
          : []),
      ]),
    },
    ...breakdownsOf(f).map((s) => ({
      title: `${s.title} (Angebote, davon übernommen, davon vermittelt)`,
      rows: s.rows.map((r) => ({
        label: breakdownName(r, s.none),
        value: `${count(r.offered)} · ${count(r.takenOn)} · ${count(r.placed)}`,
        nowrap: true,
      })),
    })),
    {
      title: 'Nachbetreuung',
      rows: [
        { label: 'Frage gestellt', ...n(f.aftercare.asked) },
        { label: 'beantwortet', ...n(f.aftercare.answered) },
        { label: 'ohne Antwort abgelaufen', ...n(f.aftercare.unanswered) },
        ...f.aftercare.ratings.map((r) => ({ label: `Antwort ${ratingLabel(r.rating)}`, ...n(r.count) })),
        { label: 'Antworten mit Kommentar', ...n(f.aftercare.withComment) },
      ],
    },
  ];
}
