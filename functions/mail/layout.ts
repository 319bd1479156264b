import type { SummarySection } from '../../src/lib/offer-summary.ts';
import { html, style, type Html, type HtmlValue } from './html.ts';
import type { Locale } from '../../src/i18n/routes.ts';

/**
 * Building blocks of the HTML mails. Mail clients need inline styles, no stylesheet. Every
 * element that sets a text colour also sets its background colour and the other way round, so
 * that clients that recolour for dark mode keep readable pairs. No images, no web fonts.
 */
export const fontStack = '-apple-system, BlinkMacSystemFont, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';
const monoStack = 'ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, monospace';

/** Colour pairs (text on background), each at least 7:1. */
export const colors = {
  page: { color: '#1f2328', backgroundColor: '#f2f3f5' },
  card: { color: '#1f2328', backgroundColor: '#ffffff' },
  muted: { color: '#4a5058', backgroundColor: '#ffffff' },
  link: { color: '#0b4a8b', backgroundColor: '#ffffff' },
  label: { color: '#1f2328', backgroundColor: '#f5f6f8' },
  info: { color: '#0f2a47', backgroundColor: '#e8f1fb' },
  infoLink: { color: '#0a3f78', backgroundColor: '#e8f1fb' },
  warn: { color: '#4a2800', backgroundColor: '#fff3dd' },
  reference: { color: '#10161d', backgroundColor: '#eef1f4' },
  button: { color: '#ffffff', backgroundColor: '#0b4a8b' },
} as const satisfies Record<string, { color: string; backgroundColor: string }>;
export type Pair = (typeof colors)[keyof typeof colors];

const text = { fontFamily: fontStack, fontSize: '16px', lineHeight: '1.5' };
const presentation = 'role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"';

export function layout(options: { lang: Locale; title: string; preheader: string; body: HtmlValue }): string {
  const { lang, title, preheader, body } = options;
  const hidden = style({
    display: 'none',
    maxHeight: 0,
    overflow: 'hidden',
    opacity: 0,
    fontSize: '1px',
    lineHeight: '1px',
  });
  const card = style({
    width: '100%',
    maxWidth: '640px',
    borderCollapse: 'collapse',
    borderRadius: '6px',
    ...colors.card,
  });
  const head = html`<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><meta name="color-scheme" content="light dark"/><meta name="supported-color-schemes" content="light dark"/><meta name="x-apple-disable-message-reformatting"/><meta name="format-detection" content="telephone=no, date=no, address=no, email=no"/><title>${title}</title></head>`;
  const inner = html`<table ${raw(presentation)} style="${card}"><tbody><tr><td style="${style({ padding: '24px 20px', textAlign: 'left', ...colors.card, ...text })}">${body}</td></tr></tbody></table>`;
  const outer = html`<table ${raw(presentation)} style="${style({ width: '100%', borderCollapse: 'collapse', ...colors.page })}"><tbody><tr><td align="center" style="${style({ padding: '16px 8px', ...colors.page })}">${inner}</td></tr></tbody></table>`;
  return `<!doctype html>${html`<html lang="${lang}">${head}<body style="${style({ margin: 0, padding: 0, width: '100%', ...colors.page, ...text })}"><div style="${hidden}">${preheader}</div>${outer}</body></html>`}`;
}

/** Attribute lists written in this file only (never user input). */
function raw(markup: string): Html {
  return html([markup] as unknown as TemplateStringsArray);
}

export const h1 = (content: HtmlValue) =>
  html`<h1 style="${style({ margin: '0 0 16px', fontFamily: fontStack, fontSize: '24px', lineHeight: '1.3', fontWeight: 700, ...colors.card })}">${content}</h1>`;

export const h2 = (content: HtmlValue, pair: Pair = colors.card) =>
  html`<h2 style="${style({ margin: '28px 0 8px', fontFamily: fontStack, fontSize: '19px', lineHeight: '1.3', fontWeight: 700, ...pair })}">${content}</h2>`;

export const p = (content: HtmlValue, options: { pair?: Pair; spaced?: boolean } = {}) =>
  html`<p style="${style({ margin: options.spaced ? '24px 0 12px' : '0 0 12px', ...text, ...(options.pair ?? colors.card) })}">${content}</p>`;

/** Keeps a short value (a reference number) on one line. */
export const noWrap = (content: HtmlValue) => html`<span style="white-space:nowrap">${content}</span>`;

export const strong = (content: HtmlValue) => html`<strong>${content}</strong>`;

export const a = (href: string, content: HtmlValue, pair: Pair = colors.link) =>
  html`<a href="${href}" style="${style({ textDecoration: 'underline', overflowWrap: 'anywhere', ...pair })}">${content}</a>`;

/** A tinted box with a bold heading line ("Warum an Sie?") or just a sentence. */
export function box(content: HtmlValue, options: { title?: string; tone?: 'info' | 'warn' } = {}) {
  const pair = options.tone === 'warn' ? colors.warn : colors.info;
  const border = options.tone === 'warn' ? '#b45309' : '#2563a8';
  const frame = style({
    margin: '16px 0',
    padding: '12px 16px',
    borderLeft: `4px solid ${border}`,
    borderRadius: '4px',
    ...pair,
    ...text,
  });
  const title = options.title
    ? html`<p style="${style({ margin: '0 0 4px', fontWeight: 700, ...text, ...pair })}">${options.title}</p>`
    : '';
  return html`<div style="${frame}">${title}<p style="${style({ margin: 0, ...text, ...pair })}">${content}</p></div>`;
}

/** The reference number, large and easy to copy. */
export function referenceBox(label: string, reference: string, hint: string) {
  const frame = style({
    margin: '20px 0',
    padding: '16px',
    borderRadius: '6px',
    border: '1px solid #8a939e',
    ...colors.reference,
    ...text,
  });
  const big = style({
    margin: '4px 0 8px',
    fontFamily: monoStack,
    fontSize: '28px',
    lineHeight: '1.2',
    fontWeight: 700,
    letterSpacing: '2px',
    ...colors.reference,
  });
  const small = style({ margin: 0, ...text, fontSize: '14px', ...colors.reference });
  const bold = style({ margin: 0, fontWeight: 700, ...text, ...colors.reference });
  return html`<div style="${frame}"><p style="${bold}">${label}</p><p style="${big}">${reference}</p><p style="${small}">${hint}</p></div>`;
}

/** A numbered list of sentences. */
export function steps(items: readonly HtmlValue[]) {
  const li = style({ margin: '0 0 8px', ...text, ...colors.card });
  const ol = style({ margin: '0 0 12px', paddingLeft: '24px', ...text, ...colors.card });
  return html`<ol style="${ol}">${items.map((item) => html`<li style="${li}">${item}</li>`)}</ol>`;
}

/** A row of the tables: a label (th scope="row") and a value, possibly a link. */
export interface TableRow {
  label: string;
  value: string | undefined;
  multiline?: boolean;
  nowrap?: boolean;
  href?: string;
}

/** One two-column table per section, each under its heading. `none` is shown for values not given. */
export function tables(groups: ReadonlyArray<{ title: string; rows: readonly TableRow[] }>, none: string) {
  const cell = {
    padding: '8px 10px',
    verticalAlign: 'top',
    borderBottom: '1px solid #d5d9de',
    overflowWrap: 'break-word',
    hyphens: 'auto',
  };
  const table = style({ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed', ...colors.card, ...text });
  const th = style({ width: '42%', ...cell, textAlign: 'left', fontWeight: 600, ...text, ...colors.label });
  const row = (r: TableRow) => {
    const value = r.value ?? none;
    const td = style({
      ...cell,
      whiteSpace: r.multiline ? 'pre-line' : r.nowrap ? 'nowrap' : undefined,
      ...text,
      ...(r.value === undefined ? colors.muted : colors.card),
    });
    const content = r.href && r.value !== undefined ? a(r.href, value) : value;
    return html`<tr><th scope="row" style="${th}">${r.label}</th><td style="${td}">${content}</td></tr>`;
  };
  return groups.map(
    (group) =>
      html`<div>${h2(group.title)}<table width="100%" cellpadding="0" cellspacing="0" border="0" style="${table}"><tbody>${group.rows.map(row)}</tbody></table></div>`,
  );
}

/** Summary sections (src/lib/offer-summary.ts) as table groups, with mail-specific titles. */
export function summaryGroups(sections: readonly SummarySection[], title: (section: string) => string) {
  return sections.map((s) => ({
    title: title(s.section),
    rows: s.rows.map((r) => ({ ...r, nowrap: /^[\d.,\s€m²]+$/.test(r.value ?? '') })),
  }));
}

/** A call to action as a link that looks like a button (mail clients have no forms). */
export function button(href: string, label: string) {
  const frame = style({ margin: '16px 0', ...text, ...colors.card });
  const look = style({
    display: 'inline-block',
    padding: '12px 20px',
    borderRadius: '4px',
    fontWeight: 700,
    textDecoration: 'none',
    ...text,
    ...colors.button,
  });
  return html`<p style="${frame}"><a href="${href}" style="${look}">${label}</a></p>`;
}

export function footer(content: HtmlValue) {
  const look = style({
    margin: '32px 0 0',
    paddingTop: '12px',
    borderTop: '1px solid #d5d9de',
    ...text,
    fontSize: '13px',
    ...colors.muted,
  });
  return html`<p style="${look}">${content}</p>`;
}
