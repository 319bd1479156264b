/**
 * The one translator of the project: site pages, the offer form and its review, the server's
 * answers and the mails all read their words through it. Strings are flat dotted keys in
 * `ui/{de,en}.json`; placeholders look like `{name}`.
 *
 * No imports here: the offer island ships this file to the browser.
 */
export type Dictionary = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

/** A template cut around its placeholders: ["Noch ", {name: "count"}, " Zeichen"]. */
export type TemplatePart = string | { placeholder: string };

export function templateParts(template: string): TemplatePart[] {
  return template
    .split(/(\{\w+\})/)
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      return m ? { placeholder: m[1]! } : part;
    });
}

export interface Translator {
  (key: string, params?: Params): string;
  /** The raw template of a key, for renderers that put other things than text into placeholders. */
  template(key: string): string;
  /** Whether the dictionary knows the key (optional strings such as hints). */
  has(key: string): boolean;
}

/**
 * A translator over one language's dictionary. A missing key or a missing placeholder value
 * throws: a forgotten translation fails the build or the test that renders it, instead of
 * reaching a reader as a raw key.
 */
export function createTranslator(dictionary: Dictionary, language = '?'): Translator {
  const template = (key: string): string => {
    const value = dictionary[key];
    if (value === undefined) throw new Error(`Missing UI string "${key}" for "${language}"`);
    return value;
  };
  const t = (key: string, params: Params = {}) =>
    templateParts(template(key))
      .map((part) => {
        if (typeof part === 'string') return part;
        const value = params[part.placeholder];
        if (value === undefined) throw new Error(`Missing value for {${part.placeholder}} in "${key}"`);
        return String(value);
      })
      .join('');
  return Object.assign(t, { template, has: (key: string) => Object.hasOwn(dictionary, key) });
}
