import { formatTimestamp, multiLine, oneLine, offerGroups, type Group } from './format.ts';
import { confirmation, fillText, staff } from './strings.ts';
import type { ConfirmationMailInput, OfferMailInput } from './types.ts';

/**
 * The plain-text parts, written for reading (not stripped from the HTML): the same sentences and
 * the same offer rows as "Label: value" lines. Multi-line values continue on indented lines.
 */

function heading(title: string, underline: '=' | '-'): string {
  return `${title}\n${underline.repeat(Array.from(title).length)}`;
}

function rowsText(groups: Group[]): string {
  return groups
    .map((group) => {
      const lines = group.rows.map((row) => {
        const [first = '', ...rest] = row.multiline ? multiLine(row.value).split('\n') : [oneLine(row.value)];
        return [`${row.label}: ${first}`, ...rest.map((line) => `  ${line}`)].join('\n');
      });
      return `${heading(group.title, '-')}\n${lines.join('\n')}`;
    })
    .join('\n\n');
}

const paragraphs = (...parts: (string | undefined | false)[]) => `${parts.filter(Boolean).join('\n\n')}\n`;

export function offerMailText(input: OfferMailInput): string {
  const { reference, receivedAt, offer, stadtbezirk, carrierName, routingReason, recipient } = input;
  const received = formatTimestamp(receivedAt, 'de');
  const bezirk = stadtbezirk ? oneLine(stadtbezirk) : undefined;
  const carrier = carrierName ? oneLine(carrierName) : undefined;

  let routing: string;
  if (recipient === 'carrier')
    routing = bezirk ? fillText(staff.carrier, { stadtbezirk: bezirk }) : staff.carrierNoBezirk;
  else if (carrier)
    routing = fillText(bezirk ? staff.coordinatorCarrierBezirk : staff.coordinatorCarrier, {
      carrier,
      stadtbezirk: bezirk ?? '',
    });
  else routing = `>> ${staff.coordinatorNoCarrier} <<`;

  return paragraphs(
    heading(fillText(staff.title, { reference: oneLine(reference) }), '='),
    received ? fillText(staff.intro, received) : staff.introNoTime,
    routing,
    offer.locale === 'en' && staff.englishForm,
    `${staff.whyTitle}\n${oneLine(routingReason)}`,
    `${staff.replyLabel}: ${fillText(staff.reply, { name: oneLine(offer.name), email: oneLine(offer.email) })}`,
    rowsText(offerGroups(offer, { locale: 'de', stadtbezirk, process: { reference, receivedAt } })),
    `${staff.attachmentLabel}: ${staff.attachment}`,
    `-- \n${staff.footer}`,
  );
}

export function confirmationMailText(input: ConfirmationMailInput): string {
  const { reference, receivedAt, offer, stadtbezirk, carrierName, locale, coordinator } = input;
  const s = confirmation[locale];
  const received = formatTimestamp(receivedAt, locale);
  const ref = oneLine(reference);
  const bezirk = stadtbezirk ? oneLine(stadtbezirk) : undefined;
  const carrier = carrierName ? oneLine(carrierName) : undefined;
  const email = oneLine(coordinator.email);
  const phone = coordinator.phone ? oneLine(coordinator.phone) : undefined;
  const step1 =
    bezirk && carrier ? `${s.step1} ${fillText(s.step1Carrier, { stadtbezirk: bezirk, carrier })}` : s.step1;

  return paragraphs(
    heading(s.title, '='),
    fillText(s.greeting, { name: oneLine(offer.name) }),
    received ? fillText(s.intro, received) : s.introNoTime,
    `${s.referenceLabel}: ${ref}\n${phone ? s.referenceHintPhone : s.referenceHint}`,
    `${heading(s.nextTitle, '-')}\n1. ${step1}\n2. ${s.step2}`,
    `${heading(s.summaryTitle, '-')}\n${s.summaryIntro}`,
    rowsText(offerGroups(offer, { locale, stadtbezirk })),
    [
      heading(s.contactTitle, '-'),
      s.contactIntro,
      oneLine(coordinator.name),
      `${s.email}: ${email}`,
      phone && `${s.phone}: ${phone}`,
    ]
      .filter(Boolean)
      .join('\n'),
    `${heading(s.withdrawTitle, '-')}\n${fillText(s.withdraw, { email, reference: ref })}`,
    `${s.closing}\n${oneLine(coordinator.name)}`,
    `-- \n${s.footer}`,
  );
}
