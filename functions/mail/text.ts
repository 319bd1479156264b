/**
 * Plain-text parts, written for reading (not stripped from the HTML): headings underlined, rows
 * as "Label: value" lines, multi-line values continued on indented lines.
 */

/**
 * Collapses every run of whitespace and control characters (CR, LF, tab, C0/C1 controls, DEL,
 * line/paragraph separators) to a single space and trims. For mail headers and single-line values.
 */
export function oneLine(value: unknown): string {
  return String(value ?? '')
    .replace(/[\s\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ')
    .trim();
}

/** A subject line safe for a mail header: one line, at most `max` characters (not split inside a surrogate pair). */
export function headerSafe(value: string, max = 200): string {
  const chars = Array.from(oneLine(value));
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** Multi-line user text with normalised line breaks ("\r\n" and lone "\r" become "\n"), other control characters removed. */
export function multiLine(value: unknown): string {
  return String(value ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, ' ')
    .trim();
}

export function heading(title: string, underline: '=' | '-'): string {
  return `${title}\n${underline.repeat(Array.from(title).length)}`;
}

export interface TextRow {
  label: string;
  value: string | undefined;
  multiline?: boolean;
}

/** Groups of rows under underlined headings. */
export function rowsText(groups: ReadonlyArray<{ title: string; rows: readonly TextRow[] }>, none: string): string {
  return groups
    .map((group) => {
      const lines = group.rows.map((row) => {
        const value = row.value ?? none;
        const [first = '', ...rest] = row.multiline ? multiLine(value).split('\n') : [oneLine(value)];
        return [`${row.label}: ${first}`, ...rest.map((line) => `  ${line}`)].join('\n');
      });
      return `${heading(group.title, '-')}\n${lines.join('\n')}`;
    })
    .join('\n\n');
}

/** Paragraphs separated by blank lines; false and undefined parts are left out. */
export const paragraphs = (...parts: (string | undefined | false)[]) => `${parts.filter(Boolean).join('\n\n')}\n`;

/** "0221 123456" → "tel:0221123456": digits and a leading plus only. */
export function telHref(phone: string): string {
  const trimmed = phone.trim();
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
}
