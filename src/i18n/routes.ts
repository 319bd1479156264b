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
  material: { de: '/material/', en: '/en/materials/' },
  // Leichte Sprache is German by definition; its English counterpart is an Easy Read page in
  // plain English, so both languages keep one page each and the language switch has a target.
  easyread: { de: '/leichte-sprache/', en: '/en/easy-read/' },
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

/**
 * The page a signed link in a mail opens (withdraw, "still available?", take on, …): rendered by
 * the server per request, never indexed, not in the sitemap. The token is in `?t=`.
 */
export const actionPaths = {
  de: '/aktion/',
  en: '/en/action/',
} as const satisfies Record<Locale, string>;

/**
 * Printables of the print kit (flyer, poster), addressed below the material page: the segment
 * per language here, the prefix from the route table. Campaign flyers add the campaign code:
 * `/material/flyer/<code>/`. They are print documents, not part of the sitemap.
 */
export const printables = {
  flyer: { de: 'flyer', en: 'flyer' },
  poster: { de: 'plakat', en: 'poster' },
} as const satisfies Record<string, Record<Locale, string>>;
export type PrintableKind = keyof typeof printables;
export const printableKinds = Object.keys(printables) as PrintableKind[];

/** Address of a printable, e.g. `/material/plakat/` or `/en/materials/flyer/<code>/`. */
export function printablePath(kind: PrintableKind, locale: Locale, campaign?: string): string {
  return `${routes.material[locale]}${printables[kind][locale]}/${campaign ? `${campaign}/` : ''}`;
}

/**
 * The offer page's absolute address, with the campaign code as `?via=<code>` if there is one:
 * what QR codes, flyers and forwarded mails point to.
 */
export function offerUrl(locale: Locale, site: URL | string, via?: string): string {
  const url = new URL(routes.offer[locale], site);
  if (via) url.searchParams.set('via', via);
  return url.href;
}

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

/**
 * The same page in another language, for any path of the site: pages of the route table and
 * printables (with their campaign code). Undefined for paths that are not ours.
 */
export function counterpartPath(path: string, to: Locale): string | undefined {
  const id = pageIdOfPath(path);
  if (id) return pathFor(id, to);
  const from = localeOfPath(path);
  const base = routes.material[from];
  if (!path.startsWith(base)) return undefined;
  const [segment, campaign, ...rest] = path.slice(base.length).split('/').filter(Boolean);
  const kind = printableKinds.find((k) => printables[k][from] === segment);
  if (!kind || rest.length > 0 || (campaign && kind !== 'flyer')) return undefined;
  return printablePath(kind, to, campaign);
}
