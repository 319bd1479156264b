/**
 * Every page of the site, once, with its address in each language. Links, the language
 * switcher, hreflang, breadcrumbs and the sitemap all read this table, so a page cannot exist in
 * one language only (the i18n parity test checks the content files against it).
 */
export const locales = ['de', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'de';

export const routes = {
  home: { de: '/', en: '/en/' },
  landlords: { de: '/vermieten/', en: '/en/landlords/' },
  faq: { de: '/fragen/', en: '/en/faq/' },
  help: { de: '/mithelfen/', en: '/en/get-involved/' },
  about: { de: '/programm/', en: '/en/about/' },
  contact: { de: '/kontakt/', en: '/en/contact/' },
  offer: { de: '/angebot/', en: '/en/offer/' },
  imprint: { de: '/impressum/', en: '/en/legal-notice/' },
  privacy: { de: '/datenschutz/', en: '/en/privacy/' },
  accessibility: { de: '/barrierefreiheit/', en: '/en/accessibility/' },
} as const satisfies Record<string, Record<Locale, string>>;

export type PageId = keyof typeof routes;
export const pageIds = Object.keys(routes) as PageId[];

/**
 * Reload-safe confirmation addresses after an offer was sent; rendered by the server with the
 * reference number, so they are not part of the static site or the sitemap.
 */
export const confirmationPaths = {
  de: '/angebot/bestaetigung/',
  en: '/en/offer/confirmation/',
} as const satisfies Record<Locale, string>;

/** Main navigation, in order. The offer page is the call to action beside it. */
export const mainNav: PageId[] = ['landlords', 'faq', 'help', 'about', 'contact'];
/** Footer links to the legally required pages. */
export const legalNav: PageId[] = ['imprint', 'privacy', 'accessibility'];

export function pathFor(id: PageId, locale: Locale): string {
  return routes[id][locale];
}

/** The locale a URL path belongs to: everything under /en/ is English, the rest German. */
export function localeOfPath(path: string): Locale {
  return path === '/en' || path.startsWith('/en/') ? 'en' : 'de';
}

/** The page id behind a path, if the path is one of ours. */
export function pageIdOfPath(path: string): PageId | undefined {
  const normalized = path.endsWith('/') ? path : `${path}/`;
  return pageIds.find((id) => locales.some((l) => routes[id][l] === normalized));
}
