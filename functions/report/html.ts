import { notSuitableReasons } from '../lifecycle/model.ts';
import { Html, html, join, type HtmlValue } from '../mail/html.ts';
import { standings, type Figures } from './figures.ts';
import {
  breakdownName,
  breakdownsOf,
  cohortNote,
  count,
  daysLabel,
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
 * The figures as ONE self-contained HTML page, for looking rather than reading: inline CSS and
 * inline SVG only, so it opens from a mail attachment or a USB stick with no network and asks
 * nothing of anyone (its own CSP forbids every request). Each chart is an image with a title
 * and a description AND a real table with the same numbers below it, to read aloud and to copy.
 * Every text from the data (Stadtbezirk and carrier names) is escaped by the `html` tag.
 * Printable on A4: a chart never breaks across pages.
 */
export function renderHtml(figures: Figures, options: { generatedAt: Date }): string {
  const f = figures;
  const pageTitle = `${title}: ${periodLabel(f.period)}`;
  const body = [
    html`<header><h1>${title}</h1><p class="lead">Zeitraum: ${periodLabel(f.period)}. ${generatedLabel(options.generatedAt)}.</p><p class="muted">${cohortNote}</p></header>`,
    glance(f),
    weeksSection(f),
    funnelSection(f),
    standingSection(f),
    breakdownsOf(f).map((s) => breakdownSection(s)),
    aftercareSection(f),
  ];
  const head = html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><meta name="color-scheme" content="light"><title>${pageTitle}</title><style>${stylesheet}</style></head>`;
  return `<!doctype html>\n${html`<html lang="de">${head}<body><main>${body}</main></body></html>`}\n`;
}

/** Colours on white: text ≥ 7:1, every bar colour ≥ 6:1 (WCAG asks 4.5:1 and 3:1). */
export const palette = {
  text: '#1f2328',
  muted: '#4a5058',
  rule: '#8a939e',
  weeks: '#1f5a96',
  funnel: '#0f6b5c',
  stadtbezirk: '#6b3fa0',
  carrier: '#9c4700',
  campaign: '#8a1c4a',
} as const;

const stylesheet = new Html(`
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 1rem 3rem; color: ${palette.text}; background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 46rem; margin: 0 auto; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 2.5rem 0 .75rem; }
p { margin: 0 0 .75rem; }
.lead { font-size: 1.1rem; }
.muted { color: ${palette.muted}; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: .75rem; margin: 0 0 .75rem; }
.tiles div { border: 1px solid ${palette.rule}; border-radius: 6px; padding: .6rem .8rem; }
.tiles dt { font-size: .9rem; color: ${palette.muted}; }
.tiles dd { margin: 0; font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 1rem; }
svg { display: block; width: 100%; height: auto; }
svg text { fill: ${palette.text}; font-family: inherit; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0 0 .35rem; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid ${palette.rule}; vertical-align: top; }
th { text-align: left; font-weight: 600; }
td, th.num { text-align: right; white-space: nowrap; }
thead th { border-bottom-width: 2px; }
tr.sub th { font-weight: 400; padding-left: 1.5rem; }
.chart-block { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  body { padding: 0; font-size: 10pt; }
  main { max-width: none; }
  h2 { margin-top: 1.5rem; }
  .tiles { grid-template-columns: repeat(3, 1fr); }
  table, .tiles { break-inside: avoid; page-break-inside: avoid; }
}
`);

function glance(f: Figures): Html {
  const tile = (label: string, value: string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const wait = f.timeToTakenOn.medianHours;
  const tiles = [
    ...glanceCounts(f).map((g) => tile(g.short, count(g.value))),
    tile('Zeit bis zur Übernahme (Median)', wait === null ? '–' : daysLabel(wait)),
  ];
  const held = f.held > 0 ? html`<p class="muted">${heldNote(f.held)}</p>` : '';
  return html`<section aria-labelledby="h-glance"><h2 id="h-glance">Auf einen Blick</h2><dl class="tiles">${tiles}</dl>${held}</section>`;
}

function weeksSection(f: Figures): Html {
  const peak = f.weeks.reduce((a, b) => (b.offered > a.offered ? b : a), f.weeks[0]!);
  return section(
    'weeks',
    'Angebote pro Woche',
    columnChart({
      id: 'weeks',
      title: 'Angebote pro Woche, als Säulendiagramm',
      description:
        `${count(f.weeks.length)} Wochen; die meisten Angebote (${count(peak.offered)}) kamen in ${weekName(peak)}. ` +
        'Die Zahlen stehen in der Tabelle darunter.',
      color: palette.weeks,
      bars: f.weeks.map((w) => ({ label: `KW ${w.week}`, value: w.offered })),
    }),
    table({
      caption: 'Angebote pro Woche',
      head: ['Woche', 'Zeitraum', 'Angebote'],
      rows: f.weeks.map((w) => ({ header: weekName(w), cells: [weekDates(w), count(w.offered)] })),
    }),
  );
}

function funnelSection(f: Figures): Html {
  const steps = funnelSteps.map((s) => ({ label: s.label, value: f.funnel[s.key] }));
  return section(
    'funnel',
    'Der Weg der Angebote',
    barChart({
      id: 'funnel',
      title: 'Der Weg der Angebote, als Balkendiagramm',
      description:
        `Von ${count(f.funnel.offered)} Angeboten wurden ${count(f.funnel.takenOn)} übernommen und ` +
        `${count(f.funnel.placed)} vermittelt. Die Zahlen stehen in der Tabelle darunter.`,
      color: palette.funnel,
      bars: steps.map((s) => ({ ...s, text: `${count(s.value)} (${share(s.value, f.funnel.offered)})` })),
    }),
    table({
      caption: 'Der Weg der Angebote: Jeder Schritt zählt die Angebote, die ihn oder einen späteren erreicht haben',
      head: ['Schritt', 'Angebote', 'Anteil'],
      rows: steps.map((s) => ({ header: s.label, cells: [count(s.value), share(s.value, f.funnel.offered)] })),
    }),
  );
}

function standingSection(f: Figures): Html {
  const rows = standings.flatMap((s) => [
    { header: standingLabels[s], cells: [count(f.standing[s])] },
    ...(s === 'not_suitable' && f.standing.not_suitable > 0
      ? notSuitableReasons.map((r) => ({
          header: `davon ${reasonLabels[r]}`,
          cells: [count(f.notSuitable[r])],
          sub: true,
        }))
      : []),
  ]);
  const wait = f.timeToTakenOn;
  const waitText =
    wait.medianHours === null
      ? 'Noch kein Angebot aus diesem Zeitraum wurde übernommen.'
      : `Zeit bis zur Übernahme: ${waitLabel(wait.medianHours)}. ${waitNote(wait.offers)}`;
  const standingTable = table({
    caption: 'Stand der Angebote',
    head: ['Stand', 'Angebote'],
    rows: [...rows, { header: 'zusammen', cells: [count(f.offered)] }],
  });
  return html`<section aria-labelledby="h-standing"><h2 id="h-standing">Wo die Angebote heute stehen</h2>${standingTable}<p>${waitText}</p></section>`;
}

function breakdownSection(s: ReturnType<typeof breakdownsOf>[number]): Html {
  const rows = s.rows;
  const top = rows.reduce((a, b) => (b.offered > a.offered ? b : a), rows[0]!);
  return section(
    s.key,
    s.heading,
    barChart({
      id: s.key,
      title: `${s.title}, als Balkendiagramm`,
      description:
        `${count(rows.length)} Zeilen; die meisten Angebote (${count(top.offered)}): ${breakdownName(top, s.none)}. ` +
        'Die Zahlen stehen in der Tabelle darunter.',
      color: palette[s.key],
      bars: rows.map((r) => ({ label: breakdownName(r, s.none), value: r.offered })),
    }),
    join([
      table({
        caption: s.title,
        head: [s.column, 'Angebote', 'übernommen', 'vermittelt'],
        rows: rows.map((r) => ({
          header: breakdownName(r, s.none),
          cells: [count(r.offered), count(r.takenOn), count(r.placed)],
        })),
      }),
      s.note ? html`<p class="muted">${s.note}</p>` : '',
    ]),
  );
}

function aftercareSection(f: Figures): Html {
  const a = f.aftercare;
  const asked = table({
    caption: 'Die Frage zur Nachbetreuung',
    head: ['Schritt', 'Angebote'],
    rows: [
      { header: 'Frage gestellt', cells: [count(a.asked)] },
      { header: 'beantwortet', cells: [count(a.answered)] },
      { header: 'ohne Antwort abgelaufen', cells: [count(a.unanswered)] },
      { header: 'Antworten mit Kommentar', cells: [count(a.withComment)] },
    ],
  });
  const answers = table({
    caption: 'Wie ist das Mietverhältnis gestartet? Die Antworten',
    head: ['Antwort', 'Anzahl'],
    rows: a.ratings.map((r) => ({ header: ratingLabel(r.rating), cells: [count(r.count)] })),
  });
  return html`<section aria-labelledby="h-aftercare"><h2 id="h-aftercare">Nachbetreuung</h2>${asked}${answers}</section>`;
}

/** A section: its heading and chart kept together on one page, then the chart's numbers as a table. */
function section(id: string, heading: string, chart: Html, numbers: Html): Html {
  return html`<section aria-labelledby="h-${id}"><div class="chart-block"><h2 id="h-${id}">${heading}</h2><figure>${chart}</figure></div>${numbers}</section>`;
}

interface TableRow {
  header: string;
  cells: readonly string[];
  sub?: boolean;
}

function table(t: { caption: string; head: readonly string[]; rows: readonly TableRow[] }): Html {
  const [first, ...rest] = t.head;
  const head = html`<tr><th scope="col">${first}</th>${rest.map((h) => html`<th scope="col" class="num">${h}</th>`)}</tr>`;
  const rows = t.rows.map(
    (r) =>
      html`<tr class="${r.sub ? 'sub' : ''}"><th scope="row">${r.header}</th>${r.cells.map((c) => html`<td>${c}</td>`)}</tr>`,
  );
  return html`<table><caption>${t.caption}</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/** The accessible frame of every chart: an image named by its title, described by its description. */
function svg(c: { id: string; title: string; description: string; width: number; height: number }, content: HtmlValue) {
  return html`<svg role="img" aria-labelledby="chart-${c.id}-title chart-${c.id}-desc" viewBox="0 0 ${c.width} ${c.height}" width="${c.width}" height="${c.height}" xmlns="http://www.w3.org/2000/svg" data-chart="${c.id}"><title id="chart-${c.id}-title">${c.title}</title><desc id="chart-${c.id}-desc">${c.description}</desc>${content}</svg>`;
}

/** 0 → 1, 7 → 10, 23 → 25, 140 → 200: the top of an axis. */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= value)!;
}

/** Coordinates to a tenth of a unit: short markup, no visible difference. */
const fmt = (n: number) => String(Math.round(n * 10) / 10);

/**
 * Horizontal bars with the label above each bar (names of any length fit) and the value at its
 * end. For the funnel and the tables "by …".
 */
function barChart(c: {
  id: string;
  title: string;
  description: string;
  color: string;
  bars: ReadonlyArray<{ label: string; value: number; text?: string }>;
}): Html {
  const width = 640;
  const valueSpace = 110;
  // Many lines (a long list of campaigns, say) get narrower bars, so the chart still fits one A4 page.
  const g =
    c.bars.length > 16
      ? { row: 30, font: 13, label: 12, bar: 16, barHeight: 10, value: 25 }
      : { row: 46, font: 15, label: 16, bar: 22, barHeight: 18, value: 36 };
  const max = Math.max(1, ...c.bars.map((b) => b.value));
  const height = Math.max(1, c.bars.length) * g.row + 4;
  const rows = c.bars.map((b, i) => {
    const y = i * g.row;
    const length = (b.value / max) * (width - valueSpace);
    return html`<g><text x="0" y="${fmt(y + g.label)}" font-size="${g.font}">${b.label}</text><rect x="0" y="${fmt(y + g.bar)}" width="${fmt(length)}" height="${g.barHeight}" fill="${c.color}"></rect><text x="${fmt(length + 8)}" y="${fmt(y + g.value)}" font-size="${g.font}" font-weight="700">${b.text ?? count(b.value)}</text></g>`;
  });
  const axis = html`<line x1="0.5" y1="20" x2="0.5" y2="${height}" stroke="${palette.rule}" stroke-width="1"></line>`;
  return svg({ ...c, width, height }, [axis, rows]);
}

/** Vertical bars over a time axis: offers per week, the value above each bar while there is room. */
function columnChart(c: {
  id: string;
  title: string;
  description: string;
  color: string;
  bars: ReadonlyArray<{ label: string; value: number }>;
}): Html {
  const width = 640;
  const height = 260;
  const left = 36;
  const top = 22;
  const bottom = 34;
  // Room on the right for half of the last week's label.
  const plot = { w: width - left - 24, h: height - top - bottom };
  const max = niceMax(Math.max(0, ...c.bars.map((b) => b.value)));
  const slot = plot.w / Math.max(1, c.bars.length);
  const barWidth = Math.max(1, slot * 0.7);
  // A label under every bar while they fit (about 44 units each), else under every n-th.
  const every = Math.max(1, Math.ceil(44 / slot));
  const ticks = [0, max / 2, max].filter((v, i, all) => Number.isInteger(v) && all.indexOf(v) === i);
  const y = (v: number) => top + plot.h - (v / max) * plot.h;
  const grid = ticks.map(
    (v) =>
      html`<line x1="${left}" y1="${fmt(y(v))}" x2="${left + plot.w}" y2="${fmt(y(v))}" stroke="${palette.rule}" stroke-width="${v === 0 ? 1.5 : 0.75}"></line><text x="${left - 6}" y="${fmt(y(v) + 5)}" font-size="13" text-anchor="end">${count(v)}</text>`,
  );
  const bars = c.bars.map((b, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    const center = fmt(x + barWidth / 2);
    const value =
      slot >= 22 && b.value > 0
        ? html`<text x="${center}" y="${fmt(y(b.value) - 5)}" font-size="13" font-weight="700" text-anchor="middle">${count(b.value)}</text>`
        : '';
    const label =
      i % every === 0
        ? html`<text x="${center}" y="${height - bottom + 20}" font-size="13" text-anchor="middle">${b.label}</text>`
        : '';
    return html`<g><rect x="${fmt(x)}" y="${fmt(y(b.value))}" width="${fmt(barWidth)}" height="${fmt((b.value / max) * plot.h)}" fill="${c.color}"></rect>${value}${label}</g>`;
  });
  return svg({ ...c, width, height }, [grid, bars]);
}
