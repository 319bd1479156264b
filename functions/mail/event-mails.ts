import { useTranslations } from '../../src/i18n/index.ts';
import { formatTimestamp } from '../../src/i18n/format.ts';
import type { Locale } from '../../src/i18n/routes.ts';
import { fillHtml, html } from './html.ts';
import { a, box, button, footer, h1, h2, layout, noWrap, p, strong, tables, type TableRow } from './layout.ts';
import { headerSafe, heading, multiLine, oneLine, paragraphs, rowsText, telHref } from './text.ts';
import type { Coordinator, RenderedMail } from './types.ts';

/**
 * The mails about an offer's later life (issue 12): to the landlord when something concerns
 * them (the "still available?" question, who takes the offer on, placement and after-care,
 * a polite "not suitable", the after-care question), and to staff when the landlord or another
 * member of staff moved the offer on. Every mail carries the buttons that make sense next; a
 * button is a signed link to a page of the portal, which asks once more before it acts (mail
 * scanners open links).
 *
 * Landlord mails repeat nothing the landlord typed freely (same rule as the confirmation: the
 * address was never verified); staff mails are German.
 */
export interface LinkButton {
  label: string;
  href: string;
}

/** A carrier's public contact, from content/carriers.yaml. */
export interface CarrierContact {
  name: string;
  email: string;
  phone?: string;
  website?: string;
}

export type LandlordEventAction = 'follow_up' | 'taken_on' | 'placed' | 'not_suitable' | 'aftercare_requested';
export type StaffEventAction =
  | 'withdrawn'
  | 'availability_confirmed'
  | 'unavailable'
  | 'taken_on'
  | 'placed'
  | 'not_suitable'
  | 'aftercare_answered';

export interface LandlordEventMailInput {
  action: LandlordEventAction;
  reference: string;
  locale: Locale;
  /** The apartment's structured facts (no personal data), if the offer still has them. */
  facts?: readonly TableRow[];
  /** The carrier who takes care of the offer (taken on, placed). */
  carrier?: CarrierContact;
  coordinator: Coordinator;
  /** follow_up: still available / no longer available; aftercare_requested: answer. */
  buttons: readonly LinkButton[];
  /** The signed link that withdraws the offer, while that is still possible. */
  withdraw?: string;
  /** not_suitable: the reason's key (mail.reason.<key>). */
  reason?: string;
}

const nonEmpty = <T>(values: readonly (T | undefined | false | '')[]) => values.filter(Boolean) as T[];

/** The contact block: a name, then e-mail, phone and website lines (whatever is known). */
function contact(locale: Locale, who: CarrierContact | (Coordinator & { website?: string })) {
  const t = useTranslations(locale);
  const email = oneLine(who.email);
  const phone = who.phone ? oneLine(who.phone) : undefined;
  const website = 'website' in who && who.website ? oneLine(who.website) : undefined;
  const htmlLines = nonEmpty([
    [strong(oneLine(who.name))],
    [`${t('mail.confirmation.email')}: `, a(`mailto:${email}`, email)],
    phone && [`${t('mail.confirmation.phone')}: `, a(telHref(phone), phone)],
    website && [`${t('mail.landlord.website')}: `, a(website, website)],
  ]);
  const textLines = nonEmpty([
    oneLine(who.name),
    `${t('mail.confirmation.email')}: ${email}`,
    phone && `${t('mail.confirmation.phone')}: ${phone}`,
    website && `${t('mail.landlord.website')}: ${website}`,
  ]);
  return {
    html: p(htmlLines.flatMap((line, i) => (i === 0 ? line : [html`<br/>`, ...line]))),
    text: textLines.join('\n'),
  };
}

/** Buttons in the HTML part, "Label: URL" lines in the text part. */
function buttonsPart(buttons: readonly LinkButton[]) {
  return {
    html: buttons.map((b) => button(b.href, b.label)),
    text: buttons.map((b) => `${b.label}:\n${b.href}`).join('\n\n'),
  };
}

export function landlordEventSubject(
  input: Pick<LandlordEventMailInput, 'action' | 'reference' | 'locale' | 'carrier'>,
) {
  const t = useTranslations(input.locale);
  return headerSafe(
    t(`mail.landlord.subject.${input.action}`, {
      reference: oneLine(input.reference),
      carrier: oneLine(input.carrier?.name ?? ''),
    }),
  );
}

export function renderLandlordEventMail(input: LandlordEventMailInput): RenderedMail {
  const { action, locale, coordinator } = input;
  const t = useTranslations(locale);
  const ref = oneLine(input.reference);
  const subject = landlordEventSubject(input);
  const title = t(`mail.landlord.title.${action}`);
  const carrierName = oneLine(input.carrier?.name ?? '');
  const reason = input.reason ? t(`mail.landlord.reason.${input.reason}`) : '';
  const lead = t(`mail.landlord.text.${action}`, { reference: ref, carrier: carrierName, reason }).replace(/\s+/g, ' ');
  // Sentences that begin in lower case continue the greeting ("Guten Tag,\n\nvor einiger Zeit …").
  const greeting = t('mail.confirmation.greeting');
  const buttons = buttonsPart(input.buttons);
  const facts = input.facts?.length ? [{ title: t('mail.event.factsTitle'), rows: input.facts }] : [];
  const none = t('offer.review.none');
  // Who to ask: the carrier once one takes care of the offer, else the coordination office.
  const person = input.carrier && (action === 'taken_on' || action === 'placed') ? input.carrier : coordinator;
  const who = contact(locale, person);
  const withdraw = input.withdraw
    ? buttonsPart([{ label: t('mail.links.withdraw'), href: input.withdraw }])
    : undefined;

  const body = [
    h1(title),
    p(greeting),
    p(lead),
    input.buttons.length ? [buttons.html, p(t('mail.landlord.buttonsNote'))] : '',
    p([`${t('mail.confirmation.referenceLabel')}: `, strong(noWrap(ref))]),
    facts.length ? tables(facts, none) : '',
    h2(t('mail.landlord.contactTitle')),
    who.html,
    withdraw ? [h2(t('mail.links.withdrawTitle')), p(t('mail.links.withdrawText')), withdraw.html] : '',
    p([t('mail.confirmation.closing'), html`<br/>`, oneLine(coordinator.name)]),
    footer(t('mail.confirmation.footer')),
  ];
  const text = paragraphs(
    heading(title, '='),
    greeting,
    lead,
    input.buttons.length > 0 && `${buttons.text}\n\n${t('mail.landlord.buttonsNote')}`,
    `${t('mail.confirmation.referenceLabel')}: ${ref}`,
    facts.length > 0 && rowsText(facts, none),
    `${heading(t('mail.landlord.contactTitle'), '-')}\n${who.text}`,
    withdraw && `${heading(t('mail.links.withdrawTitle'), '-')}\n${t('mail.links.withdrawText')}\n\n${withdraw.text}`,
    `${t('mail.confirmation.closing')}\n${oneLine(coordinator.name)}`,
    `-- \n${t('mail.confirmation.footer')}`,
  );
  return { subject, html: layout({ lang: locale, title: subject, preheader: lead, body }), text };
}

export interface StaffEventMailInput {
  action: StaffEventAction;
  reference: string;
  /** When it happened (ISO). */
  at: string;
  /** Who did it, in words ("die vermietende Person", "Caritasverband", "die Koordinierungsstelle"). */
  by: string;
  /** The carrier who took the offer on or placed it. */
  carrierName?: string;
  reason?: string;
  rating?: number;
  /** The landlord's after-care comment (personal; only to the coordination office). */
  comment?: string;
  facts?: readonly TableRow[];
  /** What the recipient can do next. */
  buttons: readonly LinkButton[];
}

const de = useTranslations('de');

export function staffEventSubject(
  input: Pick<StaffEventMailInput, 'action' | 'reference' | 'carrierName' | 'reason' | 'rating'>,
) {
  return headerSafe(
    de(`mail.event.subject.${input.action}`, {
      reference: oneLine(input.reference),
      carrier: oneLine(input.carrierName ?? de('mail.event.unknownCarrier')),
      reason: input.reason ? de(`mail.reasonShort.${input.reason}`) : '',
      rating: input.rating ?? '',
    }),
  );
}

export function renderStaffEventMail(input: StaffEventMailInput): RenderedMail {
  const { action } = input;
  const ref = oneLine(input.reference);
  const subject = staffEventSubject(input);
  const when = formatTimestamp(input.at, 'de') ?? { date: input.at, time: '' };
  const lead = de(`mail.event.text.${action}`, {
    ...when,
    carrier: oneLine(input.carrierName ?? de('mail.event.unknownCarrier')),
    by: oneLine(input.by),
    reason: input.reason ? de(`mail.reason.${input.reason}`) : '',
    rating: input.rating ?? '',
    ratingWord: input.rating ? de(`mail.rating.${input.rating}`) : '',
  });
  const comment = input.comment ? multiLine(input.comment) : undefined;
  const buttons = buttonsPart(input.buttons);
  const facts = input.facts?.length ? [{ title: de('mail.event.factsTitle'), rows: input.facts }] : [];
  const none = de('offer.review.none');

  const body = [
    h1(fillHtml(de.template('mail.event.title'), { reference: noWrap(ref) })),
    action === 'withdrawn' || action === 'unavailable' ? box(strong(lead), { tone: 'warn' }) : p(lead),
    comment
      ? [
          h2(de('mail.event.comment')),
          p(comment.split('\n').flatMap((line, i) => (i === 0 ? [line] : [html`<br/>`, line]))),
          p(de('mail.event.commentNote')),
        ]
      : '',
    input.buttons.length ? [h2(de('mail.links.staffTitle')), p(de('mail.links.staffText')), buttons.html] : '',
    facts.length ? tables(facts, none) : '',
    footer(de('mail.event.footer')),
  ];
  const text = paragraphs(
    heading(de('mail.event.title', { reference: ref }), '='),
    lead,
    comment && `${heading(de('mail.event.comment'), '-')}\n${comment}\n\n${de('mail.event.commentNote')}`,
    input.buttons.length > 0 &&
      `${heading(de('mail.links.staffTitle'), '-')}\n${de('mail.links.staffText')}\n\n${buttons.text}`,
    facts.length > 0 && rowsText(facts, none),
    `-- \n${de('mail.event.footer')}`,
  );
  return { subject, html: layout({ lang: 'de', title: subject, preheader: lead, body }), text };
}

/** The staff action buttons for the submitted mail (renderOfferMail) and event mails. */
export function staffButtonsPart(buttons: readonly LinkButton[]) {
  if (buttons.length === 0) return { html: '', text: undefined };
  const part = buttonsPart(buttons);
  return {
    html: [h2(de('mail.links.staffTitle')), p(de('mail.links.staffText')), part.html],
    text: `${heading(de('mail.links.staffTitle'), '-')}\n${de('mail.links.staffText')}\n\n${part.text}`,
  };
}
