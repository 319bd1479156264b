import { useTranslations } from '../../src/i18n/index.ts';
import { formatArea, formatDate, formatDateTime, formatNumber, formatTimestamp } from '../../src/i18n/format.ts';
import { summarize } from '../../src/lib/offer-summary.ts';
import type { OfferField } from '../../src/schemas/offer-fields.ts';
import { fillHtml } from './html.ts';
import { a, box, footer, h1, layout, noWrap, p, strong, summaryGroups, tables, type TableRow } from './layout.ts';
import { headerSafe, heading, oneLine, paragraphs, rowsText, telHref } from './text.ts';
import type { OfferMailInput, RenderedMail } from './types.ts';
import { staffButtonsPart } from './event-mails.ts';

/**
 * The mail about a new offer to the coordination office ('coordinator') and to the responsible
 * carrier ('carrier'). German: it is read by staff. Reply-To is the landlord. It carries the
 * whole offer, as a table grouped like the form, plus the case facts.
 */
const t = useTranslations('de');

/** Subject: "Wohnungsangebot K7M4-QX9T: 2,5 Zi., 62 m², Kalk, frei ab 01.03.2027". */
export function offerMailSubject(input: OfferMailInput): string {
  const { offer } = input;
  return headerSafe(
    t('mail.staff.subject', {
      reference: oneLine(input.reference),
      rooms: formatNumber(offer.rooms, 'de'),
      area: formatArea(offer.livingSpace, 'de'),
      stadtteil: oneLine(offer.stadtteil),
      date: formatDate(offer.availableFrom, 'de'),
    }),
  );
}

/** The case facts and the whole offer, as table groups (shared by the HTML and the text part). */
function groups(input: OfferMailInput, fields?: readonly OfferField[]) {
  const { offer, reference, receivedAt } = input;
  const process = {
    title: t('mail.staff.section.process'),
    rows: [
      { label: t('mail.staff.reference'), value: oneLine(reference), nowrap: true },
      { label: t('mail.staff.receivedAt'), value: formatDateTime(receivedAt, 'de') },
      ...(input.stadtbezirk ? [{ label: t('mail.staff.stadtbezirk'), value: oneLine(input.stadtbezirk) }] : []),
      { label: t('mail.staff.locale'), value: t(`mail.staff.language.${offer.locale}`) },
      { label: t('mail.staff.consent'), value: t('mail.staff.consentGiven') },
      { label: t('mail.staff.submissionId'), value: oneLine(offer.submissionId) },
    ] satisfies TableRow[],
  };
  const offerGroups = summaryGroups(summarize(offer, { locale: 'de', t, fields }), (section) =>
    t(`mail.staff.section.${section}`),
  ).map((group) => ({
    ...group,
    rows: group.rows.map((row): TableRow => {
      // One click writes to or calls the landlord.
      if (row.name === 'email' && row.value) return { ...row, href: `mailto:${oneLine(row.value)}` };
      if (row.name === 'phone' && row.value) return { ...row, href: telHref(row.value), nowrap: true };
      return row;
    }),
  }));
  return [process, ...offerGroups];
}

/** Why this recipient got the offer, in one sentence (or a warning when no carrier is assigned). */
function routingSentence(input: OfferMailInput): { text: string; warn: boolean } {
  const bezirk = input.stadtbezirk ? oneLine(input.stadtbezirk) : undefined;
  const carrier = input.carrierName ? oneLine(input.carrierName) : undefined;
  if (input.recipient === 'carrier') {
    return {
      text: bezirk ? t('mail.staff.carrier', { stadtbezirk: bezirk }) : t('mail.staff.carrierNoBezirk'),
      warn: false,
    };
  }
  if (carrier) {
    return {
      text: bezirk
        ? t('mail.staff.coordinatorCarrierBezirk', { carrier, stadtbezirk: bezirk })
        : t('mail.staff.coordinatorCarrier', { carrier }),
      warn: false,
    };
  }
  return { text: t('mail.staff.coordinatorNoCarrier'), warn: true };
}

/** The staff mail; `fields` only for tests that add a field to a copy of the field list. */
export function renderOfferMail(input: OfferMailInput, fields?: readonly OfferField[]): RenderedMail {
  const { reference, receivedAt, offer, routingReason } = input;
  const subject = offerMailSubject(input);
  const received = formatTimestamp(receivedAt, 'de');
  const intro = received ? t('mail.staff.intro', received) : t('mail.staff.introNoTime');
  const routing = routingSentence(input);
  const email = oneLine(offer.email);
  const name = oneLine(offer.name);
  const none = t('offer.review.none');
  const tableGroups = groups(input, fields);
  const actions = staffButtonsPart(input.buttons ?? []);

  const body = [
    h1(fillHtml(t.template('mail.staff.title'), { reference: noWrap(oneLine(reference)) })),
    p(intro),
    routing.warn ? box(strong(routing.text), { tone: 'warn' }) : p(routing.text),
    offer.locale === 'en' ? p(t('mail.staff.englishForm')) : '',
    box(routingReason, { title: t('mail.staff.whyTitle') }),
    p([
      strong(`${t('mail.staff.replyLabel')}:`),
      ' ',
      fillHtml(t.template('mail.staff.reply'), { name, email: a(`mailto:${email}`, email) }),
    ]),
    actions.html,
    tables(tableGroups, none),
    p([strong(`${t('mail.staff.attachmentLabel')}:`), ' ', t('mail.staff.attachment')], { spaced: true }),
    footer(t('mail.staff.footer')),
  ];

  const text = paragraphs(
    heading(t('mail.staff.title', { reference: oneLine(reference) }), '='),
    intro,
    routing.warn ? `>> ${routing.text} <<` : routing.text,
    offer.locale === 'en' && t('mail.staff.englishForm'),
    `${t('mail.staff.whyTitle')}\n${oneLine(routingReason)}`,
    `${t('mail.staff.replyLabel')}: ${t('mail.staff.reply', { name, email })}`,
    actions.text,
    rowsText(tableGroups, none),
    `${t('mail.staff.attachmentLabel')}: ${t('mail.staff.attachment')}`,
    `-- \n${t('mail.staff.footer')}`,
  );
  return { subject, html: layout({ lang: 'de', title: subject, preheader: intro, body }), text };
}
