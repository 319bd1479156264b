/**
 * The offer form's UI strings: the `offer.*` keys of one language, handed to the island as a
 * prop so the browser gets only what the form needs, not the whole site's dictionary.
 */
export type OfferStrings = Record<string, string>;

export function pickOfferStrings(all: Record<string, string>): OfferStrings {
  return Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith('offer.')));
}

/** Translator over the picked strings; an unknown key shows as itself rather than crashing. */
export function makeT(strings: OfferStrings) {
  return (key: string, params: Record<string, string | number> = {}) =>
    (strings[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
