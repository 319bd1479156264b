import de from './ui/de.json' with { type: 'json' };
import en from './ui/en.json' with { type: 'json' };
import type { Locale } from './routes.ts';
import { createTranslator, type Translator } from './translate.ts';

export * from './routes.ts';
export { createTranslator, templateParts, type Dictionary, type Translator } from './translate.ts';

/** UI strings: flat dotted keys, German is the reference. The parity test keeps English complete. */
export const ui = { de, en } as const;
export type UiKey = keyof typeof de;

const translators: Partial<Record<Locale, Translator>> = {};

/** The translator for one locale (see translate.ts). */
export function useTranslations(locale: Locale): Translator {
  return (translators[locale] ??= createTranslator(ui[locale], locale));
}

/** The strings whose keys start with one of the prefixes: what an island needs, not the whole dictionary. */
export function pickStrings(locale: Locale, ...prefixes: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(ui[locale]).filter(([key]) => prefixes.some((p) => key.startsWith(p))));
}
export { formatDate } from './format.ts';
