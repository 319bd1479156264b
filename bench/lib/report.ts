/**
 * The report: sections of tables and notes, printed to the terminal as aligned text and written
 * as Markdown from the same data, so the two never disagree.
 */

export interface Table {
  headers: string[];
  rows: string[][];
  /** Columns (by index) aligned left; the others are numbers and aligned right. */
  leftColumns?: number[];
}

export interface Section {
  title: string;
  tables: Table[];
  notes: string[];
}

export function section(title: string): Section {
  return { title, tables: [], notes: [] };
}

function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, left: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return left ? s + fill : fill + s;
}

export function textTable(table: Table): string {
  const left = new Set(table.leftColumns ?? [0]);
  const widths = table.headers.map((h, i) => Math.max(width(h), ...table.rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!, left.has(i)))
      .join('  ')
      .trimEnd();
  return [line(table.headers), widths.map((w) => '─'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

export function markdownTable(table: Table): string {
  const left = new Set(table.leftColumns ?? [0]);
  const esc = (s: string) => s.replaceAll('|', '\\|');
  return [
    `| ${table.headers.map(esc).join(' | ')} |`,
    `|${table.headers.map((_, i) => (left.has(i) ? ':---' : '---:')).join('|')}|`,
    ...table.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function printSection(s: Section): void {
  console.log(`\n━━ ${s.title} ${'━'.repeat(Math.max(3, 76 - width(s.title)))}`);
  for (const t of s.tables) console.log(`\n${textTable(t)}`);
  if (s.notes.length) console.log('');
  for (const n of s.notes) console.log(`  • ${n}`);
}

export function markdownSection(s: Section): string {
  const parts = [`## ${s.title}`];
  for (const t of s.tables) parts.push(markdownTable(t));
  if (s.notes.length) parts.push(s.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}
