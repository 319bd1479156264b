import de from './ui/de.json' with { type: 'json' };
import en from './ui/en.json' with { type: 'json' };
import type { Locale } from './routes.ts';

export * from './routes.ts';

/** UI strings: flat dotted keys, German is the reference. The parity test keeps English complete. */
export const ui = { de, en } as const;
export type UiKey = keyof typeof de;

/**
 * Returns the translator for one locale. Placeholders look like `{name}`; a missing key throws at
 * build time, so a forgotten translation can never ship as a raw key.
 */
export function useTranslations(locale: Locale) {
  const strings: Record<string, string> = ui[locale];
  return function t(key: UiKey, params: Record<string, string | number> = {}): string {
    const template = strings[key];
    if (template === undefined) throw new Error(`Missing UI string "${key}" for locale "${locale}"`);
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };
}

/** Formats a date the way each language writes it (01.01.2022 / 1 January 2022). */
export function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: locale === 'de' ? 'medium' : 'long',
    timeZone: 'Europe/Berlin',
  }).format(date);
}
