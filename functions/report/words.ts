import { formatDate, formatDateTime, formatNumber } from '../../src/i18n/format.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { notSuitableReasons, type NotSuitableReason, type Stage } from '../lifecycle/model.ts';
import type { Period } from './calendar.ts';
import type { BreakdownKey, BreakdownRow, Figures, Standing, WeekCount } from './figures.ts';

/**
 * The words of the figures, in German: the report is read by the coordination office and the
 * carriers' staff only, like the other staff mails. The terminal text, the HTML page and the
 * weekly mail take every label from here, so they always say the same.
 */
const t = useTranslations('de');

export const title = 'Zahlen für die Koordinierungsstelle';

/**
 * Labels of stages, reasons and ratings come from the site's catalogue (src/i18n/ui/de.json), the
 * same words the action pages and staff mails use; the figures only add what tells apart two
 * standings of one stage (placed with after-care running or over; stale with or without an answer).
 */
const stage = (s: Stage) => t(`action.stage.${s}`);

export const standingLabels: Record<Standing, string> = {
  open: stage('open'),
  taken_on: stage('taken_on'),
  placed: `${stage('placed')}, Nachbetreuung läuft`,
  closed: `${stage('placed')}, Nachbetreuung ${stage('closed')}`,
  withdrawn: stage('withdrawn'),
  unavailable: `${stage('unavailable')} (gemeldet von der vermietenden Person)`,
  not_suitable: stage('not_suitable'),
  stale_unanswered: stage('stale'),
  stale_answered: `${stage('stale')}, nachdem es einmal als weiterhin frei gemeldet war`,
};

export const reasonLabels = Object.fromEntries(
  notSuitableReasons.map((r) => [r, t(`mail.reasonShort.${r}`)]),
) as Record<NotSuitableReason, string>;

export const funnelSteps = [
  { key: 'offered', label: 'angeboten' },
  { key: 'takenOn', label: stage('taken_on') },
  { key: 'placed', label: stage('placed') },
  { key: 'aftercareAnswered', label: 'Frage zur Nachbetreuung beantwortet' },
] as const satisfies ReadonlyArray<{ key: keyof Figures['funnel']; label: string }>;

/**
 * "At a glance", the same lines in the text, the page (short: tiles) and the mail: the offers, how
 * many got how far, and how many ended without an apartment let.
 */
export function glanceCounts(f: Figures): Array<{ label: string; short: string; value: number }> {
  const line = (short: string, value: number) => ({ label: `davon ${short}`, short, value });
  return [
    { label: 'Angebote', short: 'Angebote', value: f.offered },
    line(stage('taken_on'), f.funnel.takenOn),
    line(stage('placed'), f.funnel.placed),
    line(standingLabels.withdrawn, f.standing.withdrawn),
    line(standingLabels.not_suitable, f.standing.not_suitable),
    line(standingLabels.stale_unanswered, f.standing.stale_unanswered),
  ];
}

/** The tables "by …", in the order they are shown; each one only when the figures have it. */
export const breakdownSections: ReadonlyArray<{
  key: BreakdownKey;
  heading: string;
  /** Names the chart and the table. */
  title: string;
  column: string;
  none: string;
  note?: string;
}> = [
  {
    key: 'stadtbezirk',
    heading: 'Nach Stadtbezirk',
    title: 'Angebote nach Stadtbezirk',
    column: 'Stadtbezirk',
    none: 'ohne Stadtbezirk',
  },
  {
    key: 'carrier',
    heading: 'Nach Träger',
    title: 'Angebote nach Träger',
    column: 'Träger',
    none: 'ohne Träger (nur an die Koordinierungsstelle)',
    note: 'Gezählt beim Träger, der das Angebot übernommen hat, sonst beim zuständigen Träger laut Zuständigkeitstabelle.',
  },
  // Shown once figures.ts byCampaign fills it in.
  {
    key: 'campaign',
    heading: 'Nach Kampagne',
    title: 'Angebote nach Kampagne',
    column: 'Kampagne',
    none: 'ohne Kampagnencode',
  },
];

/** The tables "by …" these figures have, each with its rows. */
export const breakdownsOf = (f: Figures) =>
  breakdownSections.flatMap((s) => {
    const rows = f.by[s.key];
    return rows ? [{ ...s, rows }] : [];
  });

export const breakdownName = (row: BreakdownRow, none: string) => row.name ?? none;

export const ratingLabel = (rating: number) => `${rating} (${t(`mail.rating.${rating}`)})`;

export const count = (n: number) => formatNumber(n, 'de');

/** 7 of 12 → "58 %"; nothing of nothing → "–". */
export function share(part: number, whole: number): string {
  if (whole === 0) return '–';
  return new Intl.NumberFormat('de-DE', { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
}

/** 36 hours → "1,5 Tage"; 24 → "1 Tag". */
export function daysLabel(hours: number): string {
  return `${formatNumber(Math.round((hours / 24) * 10) / 10, 'de')} ${hours === 24 ? 'Tag' : 'Tage'}`;
}

/** 36 hours → "1,5 Tage (36 Stunden)". */
export const waitLabel = (hours: number) =>
  `${daysLabel(hours)} (${count(hours)} ${hours === 1 ? 'Stunde' : 'Stunden'})`;

export const periodLabel = (p: Period) => `${formatDate(p.from, 'de')} bis ${formatDate(p.to, 'de')}`;

/** "KW 47/2026" */
export const weekName = (w: Pick<WeekCount, 'week' | 'year'>) => `KW ${w.week}/${w.year}`;

/** "16.11.–22.11.2026"; across the new year "28.12.2026–03.01.2027". */
export function weekDates(w: Pick<WeekCount, 'monday' | 'sunday'>): string {
  const [year, month, day] = w.monday.split('-');
  const start = year === w.sunday.slice(0, 4) ? `${day}.${month}.` : formatDate(w.monday, 'de');
  return `${start}–${formatDate(w.sunday, 'de')}`;
}

export const generatedLabel = (at: Date) => `Stand: ${formatDateTime(at.toISOString(), 'de')}`;

export const cohortNote =
  'Gezählt werden die Angebote, die in diesem Zeitraum eingegangen sind, mit ihrem heutigen Stand. ' +
  'Die Zahlen enthalten keine personenbezogenen Daten; sie bleiben auch nach der Löschfrist erhalten.';

export const heldNote = (held: number) =>
  held === 1
    ? '1 weiteres Angebot wurde als Verdacht auf Spam zurückgehalten und ist nicht mitgezählt.'
    : `${count(held)} weitere Angebote wurden als Verdacht auf Spam zurückgehalten und sind nicht mitgezählt.`;

export const waitNote = (offers: number) =>
  `Median der Zeit vom Eingang bis zur ersten Übernahme, aus ${count(offers)} ${offers === 1 ? 'Angebot' : 'Angeboten'}.`;
