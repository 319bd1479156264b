import { useTranslations } from '../../src/i18n/index.ts';
import { formatTimestamp } from '../../src/i18n/format.ts';
import { summarize } from '../../src/lib/offer-summary.ts';
import { repeatedToSender, type OfferField } from '../../src/schemas/offer-fields.ts';
import { fillHtml, html } from './html.ts';
import { a, button, footer, h1, h2, layout, p, referenceBox, steps, strong, summaryGroups, tables } from './layout.ts';
import { headerSafe, heading, oneLine, paragraphs, rowsText, telHref } from './text.ts';
import type { ConfirmationMailInput, RenderedMail } from './types.ts';

/**
 * The confirmation to the landlord, in the language of the form: thanks, the reference number,
 * what happens next, the apartment's structured facts, whom to contact and how to withdraw.
 *
 * It goes to an address nobody has verified, so it repeats NOTHING the sender typed freely: no
 * name, no street, no contact notes, no description. Otherwise anyone could make the city's
 * sender mail their own words (a link, say) to a stranger. Only choices, numbers and dates from
 * the form appear (fields marked `structured` in the field list).
 */
export function confirmationMailSubject(input: Pick<ConfirmationMailInput, 'reference' | 'locale'>): string {
  return headerSafe(
    useTranslations(input.locale)('mail.confirmation.subject', { reference: oneLine(input.reference) }),
  );
}

/** The apartment's structured facts: never the landlord's contact data or free text. */
export const echoedToLandlord = (field: OfferField) =>
  field.structured && field.section !== 'about' && field.section !== 'consent';

export function renderConfirmationMail(input: ConfirmationMailInput, fields?: readonly OfferField[]): RenderedMail {
  const { reference, receivedAt, offer, carrierName, locale, coordinator, nameCarrier } = input;
  const t = useTranslations(locale);
  const subject = confirmationMailSubject(input);
  const received = formatTimestamp(receivedAt, locale);
  const ref = oneLine(reference);
  const carrier = nameCarrier && carrierName ? oneLine(carrierName) : undefined;
  const coordinatorEmail = oneLine(coordinator.email);
  const coordinatorPhone = coordinator.phone ? oneLine(coordinator.phone) : undefined;
  const intro = received ? t('mail.confirmation.intro', received) : t('mail.confirmation.introNoTime');
  const step1 = carrier
    ? `${t('mail.confirmation.step1')} ${t('mail.confirmation.step1Carrier', { carrier })}`
    : t('mail.confirmation.step1');
  const facts = [
    {
      title: t('mail.confirmation.summaryTitle'),
      rows: summaryGroups(summarize(offer, { locale, t, fields, include: repeatedToSender }), () => '').flatMap(
        (g) => g.rows,
      ),
    },
  ];
  const none = t('offer.review.none');
  const hint = t(coordinatorPhone ? 'mail.confirmation.referenceHintPhone' : 'mail.confirmation.referenceHint');

  const body = [
    h1(t('mail.confirmation.title')),
    p(t('mail.confirmation.greeting')),
    p(intro),
    referenceBox(t('mail.confirmation.referenceLabel'), ref, hint),
    h2(t('mail.confirmation.nextTitle')),
    steps([step1, t('mail.confirmation.step2')]),
    p(t('mail.confirmation.summaryIntro')),
    tables(facts, none),
    h2(t('mail.confirmation.contactTitle')),
    p(t('mail.confirmation.contactIntro')),
    p([
      strong(oneLine(coordinator.name)),
      html`<br/>`,
      `${t('mail.confirmation.email')}: `,
      a(`mailto:${coordinatorEmail}`, coordinatorEmail),
      coordinatorPhone
        ? [html`<br/>`, `${t('mail.confirmation.phone')}: `, a(telHref(coordinatorPhone), coordinatorPhone)]
        : '',
    ]),
    h2(t('mail.confirmation.withdrawTitle')),
    input.withdraw ? [p(t('mail.links.withdrawText')), button(input.withdraw, t('mail.links.withdraw'))] : '',
    p(
      fillHtml(t.template(input.withdraw ? 'mail.confirmation.withdrawAlso' : 'mail.confirmation.withdraw'), {
        email: a(`mailto:${coordinatorEmail}`, coordinatorEmail),
        reference: html`<strong style="white-space:nowrap">${ref}</strong>`,
      }),
    ),
    p([t('mail.confirmation.closing'), html`<br/>`, oneLine(coordinator.name)]),
    footer(t('mail.confirmation.footer')),
  ];

  const text = paragraphs(
    heading(t('mail.confirmation.title'), '='),
    t('mail.confirmation.greeting'),
    intro,
    `${t('mail.confirmation.referenceLabel')}: ${ref}\n${hint}`,
    `${heading(t('mail.confirmation.nextTitle'), '-')}\n1. ${step1}\n2. ${t('mail.confirmation.step2')}`,
    t('mail.confirmation.summaryIntro'),
    rowsText(facts, none),
    [
      heading(t('mail.confirmation.contactTitle'), '-'),
      t('mail.confirmation.contactIntro'),
      oneLine(coordinator.name),
      `${t('mail.confirmation.email')}: ${coordinatorEmail}`,
      coordinatorPhone && `${t('mail.confirmation.phone')}: ${coordinatorPhone}`,
    ]
      .filter(Boolean)
      .join('\n'),
    [
      heading(t('mail.confirmation.withdrawTitle'), '-'),
      input.withdraw && `${t('mail.links.withdrawText')}\n\n${t('mail.links.withdraw')}:\n${input.withdraw}\n`,
      t(input.withdraw ? 'mail.confirmation.withdrawAlso' : 'mail.confirmation.withdraw', {
        email: coordinatorEmail,
        reference: ref,
      }),
    ]
      .filter(Boolean)
      .join('\n'),
    `${t('mail.confirmation.closing')}\n${oneLine(coordinator.name)}`,
    `-- \n${t('mail.confirmation.footer')}`,
  );
  return {
    subject,
    html: layout({ lang: locale, title: subject, preheader: `${t('mail.confirmation.referenceLabel')}: ${ref}`, body }),
    text,
  };
}
