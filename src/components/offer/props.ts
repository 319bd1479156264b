import { confirmationPaths, pathFor, ui, type Locale } from '../../i18n/index.ts';
import { pickOfferStrings } from './strings.ts';
import type { OfferFormProps } from './OfferForm.tsx';

/** Where the form posts: the intake handler in functions/. */
export const offerAction = '/api/offers';

/**
 * The island's props for one language. The static page and the server's answers to form posts
 * both start from here, so they cannot drift apart.
 */
export function offerFormProps(locale: Locale, coordinatorEmail: string): OfferFormProps {
  return {
    locale,
    strings: pickOfferStrings(ui[locale]),
    action: offerAction,
    privacyHref: pathFor('privacy', locale),
    homeHref: pathFor('home', locale),
    coordinatorEmail,
    confirmationPath: confirmationPaths[locale],
  };
}
