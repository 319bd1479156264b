import { confirmationPaths, pathFor, pickStrings, type Locale } from '../../i18n/index.ts';
import type { OfferFormProps } from './OfferForm.tsx';
import type { RentLimitTable } from '../../lib/rent-check.ts';

/** Where the island sends its JSON: the intake's API endpoint (src/pages/api/offers.ts). */
export const offerApiPath = '/api/offers';

/**
 * The island's props for one language. The offer page, with or without an answer to a form post,
 * starts from here, so the two cannot drift apart. Without JavaScript the form posts to the offer
 * page itself, which answers with errors, the review, or a redirect to the confirmation.
 */
export function offerFormProps(
  locale: Locale,
  coordinatorEmail: string,
  options: { campaign?: string; rentLimits?: RentLimitTable } = {},
): OfferFormProps {
  const { campaign, rentLimits } = options;
  const strings = pickStrings(locale, 'offer.');
  // Unpublished limits leave no trace in the page, not even the words of the rent check.
  if (!rentLimits) for (const key of Object.keys(strings)) if (key.startsWith('offer.rentCheck.')) delete strings[key];
  return {
    locale,
    // Only the form's strings travel to the browser, not the whole site's dictionary.
    strings,
    action: pathFor('offer', locale),
    apiPath: offerApiPath,
    privacyHref: pathFor('privacy', locale),
    homeHref: pathFor('home', locale),
    coordinatorEmail,
    confirmationPath: confirmationPaths[locale],
    ...(campaign ? { campaign } : {}),
    ...(rentLimits ? { rentLimits } : {}),
  };
}
