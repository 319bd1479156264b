import { localeOfPath, pathFor, ui, type Locale } from '../../src/i18n/index.ts';

/**
 * Plain error pages in the visitor's language for answers the built site has no page for
 * (400, 500). Deliberately without the site's layout, styles or any file from `dist/`: an error
 * page must not depend on what may have just failed.
 */
export type ErrorStatus = 400 | 500;

const keys = {
  400: { title: 'error.badRequest.title', text: 'error.badRequest.text' },
  500: { title: 'error.server.title', text: 'error.server.text' },
} as const;

export function errorPage(status: ErrorStatus, locale: Locale): string {
  const strings = ui[locale];
  const title = strings[keys[status].title];
  return [
    '<!doctype html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="robots" content="noindex"><title>${title}</title></head>`,
    `<body><main><h1>${title}</h1><p>${strings[keys[status].text]}</p>`,
    `<p><a href="${pathFor('home', locale)}">${strings['error.home']}</a></p></main></body></html>`,
  ].join('\n');
}

/** The locale for an error answer: English under /en/, German everywhere else (also for unreadable paths). */
export function errorLocale(rawPath: string | undefined): Locale {
  return rawPath && localeOfPath(rawPath) === 'en' ? 'en' : 'de';
}
