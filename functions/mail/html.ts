import { templateParts } from '../../src/i18n/translate.ts';

/**
 * HTML for mails, written as tagged templates: every interpolated value is escaped unless it is
 * itself `Html` (made by this tag), so user input can never become markup. Components are plain
 * functions returning `Html`; arrays are joined. Mail clients need inline styles, so `style()`
 * turns an object into a style attribute's value.
 */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => (out += render(value) + strings[i + 1]!));
  return new Html(out);
}

/** Joins values as HTML (each escaped unless already Html). */
export const join = (values: readonly HtmlValue[]) => new Html(render(values));

/** { fontSize: '16px', color: '#000' } → "font-size:16px;color:#000", for style="…". */
export function style(properties: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(properties)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${v}`)
    .join(';');
}

/**
 * A translated sentence with its placeholders filled by text or by HTML (links, bold numbers):
 * the template itself is escaped like any text.
 */
export function fillHtml(template: string, params: Readonly<Record<string, HtmlValue>>): Html {
  return join(
    templateParts(template).map((part) => {
      if (typeof part === 'string') return part;
      if (!Object.hasOwn(params, part.placeholder)) throw new Error(`Missing mail placeholder {${part.placeholder}}`);
      return params[part.placeholder]!;
    }),
  );
}
