import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import ConfirmationMail from './ConfirmationMail.tsx';
import OfferMail from './OfferMail.tsx';
import { formatArea, formatDate, formatNumber, headerSafe, oneLine } from './format.ts';
import { confirmation, fillText, staff } from './strings.ts';
import { confirmationMailText, offerMailText } from './text.ts';
import type { ConfirmationMailInput, OfferMailInput, RenderedMail } from './types.ts';

/**
 * The mails about an apartment offer, rendered on the server to static HTML (React components,
 * every user value escaped by React) plus a plain-text part written for reading.
 *
 * Subjects are safe for a mail header: control characters and line breaks in user values become
 * single spaces, and the subject is cut at 200 characters.
 */
export type { ConfirmationMailInput, Coordinator, MailInput, OfferMailInput, RenderedMail } from './types.ts';

const page = (element: Parameters<typeof renderToStaticMarkup>[0]) => `<!doctype html>${renderToStaticMarkup(element)}`;

/** Subject of the staff mail: "Wohnungsangebot K7M4-QX9T: 2,5 Zi., 62 m², Kalk, frei ab 01.03.2027". */
export function offerMailSubject(input: OfferMailInput): string {
  const { offer } = input;
  return headerSafe(
    fillText(staff.subject, {
      reference: oneLine(input.reference),
      rooms: formatNumber(offer.rooms, 'de'),
      area: formatArea(offer.livingSpace, 'de'),
      stadtteil: oneLine(offer.stadtteil),
      date: formatDate(offer.availableFrom, 'de'),
    }),
  );
}

export function confirmationMailSubject(input: Pick<ConfirmationMailInput, 'reference' | 'locale'>): string {
  return headerSafe(fillText(confirmation[input.locale].subject, { reference: oneLine(input.reference) }));
}

/** The mail to the coordination office or to the responsible carrier (German). */
export function renderOfferMail(input: OfferMailInput): RenderedMail {
  const subject = offerMailSubject(input);
  return { subject, html: page(createElement(OfferMail, { ...input, subject })), text: offerMailText(input) };
}

/** The confirmation to the landlord in the language of the form. */
export function renderConfirmationMail(input: ConfirmationMailInput): RenderedMail {
  const subject = confirmationMailSubject(input);
  return {
    subject,
    html: page(createElement(ConfirmationMail, { ...input, subject })),
    text: confirmationMailText(input),
  };
}
