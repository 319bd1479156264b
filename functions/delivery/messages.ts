import type { Carrier } from '../../src/schemas/carriers.ts';
import type { Campaign } from '../../src/schemas/campaigns.ts';
import { checkRent, type RentLimitTable } from '../../src/lib/rent-check.ts';
import { actionPaths, type Locale } from '../../src/i18n/routes.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { summarize } from '../../src/lib/offer-summary.ts';
import { repeatedToSender } from '../../src/schemas/offer-fields.ts';
import { renderConfirmationMail } from '../mail/confirmation-mail.ts';
import { renderOfferMail } from '../mail/offer-mail.ts';
import { renderAlertMail } from '../mail/alert-mail.ts';
import {
  renderLandlordEventMail,
  renderStaffEventMail,
  type LandlordEventAction,
  type LinkButton,
  type StaffEventAction,
} from '../mail/event-mails.ts';
import { summaryGroups, type TableRow } from '../mail/layout.ts';
import { linkLifetimeDays, type LinkSigner } from '../lifecycle/links.ts';
import { landlordMailEvents, staffActionsFrom, staffMailEvents, type LinkActionName } from '../lifecycle/model.ts';
import type { ClaimedJob, DeadJob } from '../storage/types.ts';
import type { Offer } from '../../src/schemas/offer.ts';
import { offerLifeEvent, offerSubmittedEvent, type CampaignRecord } from './events.ts';
import type { OutgoingMail } from './mail.ts';

/**
 * What a delivery job sends: a mail (staff mail, landlord confirmation, a mail about a later step
 * of the offer's life) or a signed webhook, built from the stored offer and the event the job
 * belongs to. Message-IDs and webhook-ids are stable per event and recipient, so a duplicate from
 * a crash window can be recognised by its receiver; the action links in a mail expire a fixed
 * time after its event, so a retry sends the same mail.
 */
export interface MessageContext {
  mailFrom: string;
  /** The coordination office; its name in both languages for the landlord's mails. */
  coordinator: { name: { de: string; en: string }; email: string; phone?: string };
  carriers: readonly Carrier[];
  /** The city confirmed the carrier table: the landlord's confirmation may name the carrier. */
  nameCarrier: boolean;
  /** The campaign codes and their labels (content/campaigns.yaml), for the staff mail and the webhook. */
  campaigns?: readonly Campaign[];
  /** The published rent limits: the staff mail shows the rent check. Unset while unpublished. */
  rentLimits?: RentLimitTable;
  /** The webhook secret of a recipient (WEBHOOK_SECRET_<ID>), never from content/. */
  webhookSecret: (recipientId: string) => string | undefined;
  /** The public address (SITE_URL): the action links point there. */
  siteUrl: string;
  /** Signs the action links (LINK_SECRET). */
  links: LinkSigner;
}

export type Message =
  | { kind: 'mail'; mail: OutgoingMail }
  | { kind: 'webhook'; url: string; id: string; body: string; secret: string }
  /** Cannot be sent, and trying again will not help (no secret, erased offer). */
  | { kind: 'undeliverable'; detail: string };

/** The domain of the sender address, for Message-IDs. */
function mailDomain(from: string): string {
  return /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'localhost';
}

/**
 * Stable Message-ID for one recipient of one event. The submission (event 1) keeps the form it
 * always had; later events add their number and action.
 */
export function messageIdFor(
  reference: string,
  kind: string,
  recipientId: string,
  from: string,
  event?: { seq: number; action: string },
): string {
  const step = event && event.seq > 1 ? `${event.seq}.${event.action}.` : '';
  return `<${reference}.${step}${kind}.${recipientId}@${mailDomain(from)}>`;
}

/** Stable webhook-id for one event and one endpoint (the idempotency key of Standard Webhooks). */
export function webhookIdFor(reference: string, recipientId: string, seq = 1): string {
  return seq > 1 ? `msg_${reference}_${seq}_${recipientId}` : `msg_${reference}_${recipientId}`;
}

/** A signed action link for the person the job goes to, valid for a fixed time after the event. */
export function actionLink(
  context: Pick<MessageContext, 'siteUrl' | 'links'>,
  job: Pick<ClaimedJob, 'event' | 'offer'>,
  action: LinkActionName,
  actor: string,
  locale: Locale,
): string {
  const expires = Math.floor(Date.parse(job.event.at) / 1000) + linkLifetimeDays[action] * 24 * 3600;
  const token = context.links.sign({ reference: job.offer.reference, action, actor, expires });
  return new URL(`${actionPaths[locale]}?t=${token}`, context.siteUrl).href;
}

/** Who a staff job goes to, as the actor its links act for. */
const staffActor = (job: ClaimedJob) =>
  job.recipientKind === 'carrier' ? `carrier:${job.recipientId}` : 'coordinator';

/** The buttons staff get: what can still be done from where the offer stands after the event. */
function staffButtons(job: ClaimedJob, context: MessageContext): LinkButton[] {
  const t = useTranslations('de');
  const labels: Record<string, string> = {
    take_on: t('mail.links.takeOn'),
    placed: t('mail.links.placed'),
    not_suitable: t('mail.links.notSuitable'),
  };
  // A carrier that is no longer responsible (another took the offer on) is told, not asked.
  const responsible = (job.event.details.carrier as string | undefined) ?? job.offer.takenOnBy ?? job.offer.carrierId;
  if (job.recipientKind === 'carrier' && job.recipientId !== responsible) return [];
  return staffActionsFrom(job.event.stage).map((action) => ({
    label: labels[action]!,
    href: actionLink(context, job, action, staffActor(job), 'de'),
  }));
}

/** The apartment's structured facts (never personal data), in the reader's language. */
function factRows(job: ClaimedJob, locale: Locale): TableRow[] | undefined {
  const offer = job.offer.payload;
  if (!offer) return undefined;
  const t = useTranslations(locale);
  return summaryGroups(summarize(offer, { locale, t, include: repeatedToSender }), () => '').flatMap((g) => g.rows);
}

/** The offer's campaign with its label; a code that left the list after the offer came keeps its code as its label. */
function campaignOf(offer: Offer, context: MessageContext): CampaignRecord | null {
  const code = offer.campaign;
  if (!code) return null;
  return { code, label: context.campaigns?.find((c) => c.code === code)?.label ?? code };
}

function webhookMessage(job: ClaimedJob, context: MessageContext): Message {
  const { offer: record, event } = job;
  const secret = context.webhookSecret(job.recipientId);
  if (!secret) {
    return {
      kind: 'undeliverable',
      detail: `no webhook secret configured (WEBHOOK_SECRET_${job.recipientId.toUpperCase()})`,
    };
  }
  let body: object;
  if (event.action === 'submitted') {
    if (!record.payload) return { kind: 'undeliverable', detail: 'offer erased before delivery' };
    body = offerSubmittedEvent(record, record.payload, event, campaignOf(record.payload, context));
  } else {
    body = offerLifeEvent(record, event);
  }
  return {
    kind: 'webhook',
    url: job.target,
    id: webhookIdFor(record.reference, job.recipientId, event.seq),
    body: JSON.stringify(body),
    secret,
  };
}

function submittedMail(job: ClaimedJob, context: MessageContext): Message {
  const { offer: record } = job;
  const offer = record.payload;
  if (!offer) return { kind: 'undeliverable', detail: 'offer erased before delivery' };
  const input = {
    reference: record.reference,
    receivedAt: record.receivedAt,
    offer,
    stadtbezirk: record.stadtbezirk ?? undefined,
    carrierName: context.carriers.find((c) => c.id === record.carrierId)?.name,
    routingReason: record.routingReason,
  };
  const messageId = messageIdFor(record.reference, job.recipientKind, job.recipientId, context.mailFrom);
  const campaign = campaignOf(offer, context);
  if (job.recipientKind === 'landlord') {
    const coordinator = { ...context.coordinator, name: context.coordinator.name[offer.locale] };
    const rendered = renderConfirmationMail({
      ...input,
      locale: offer.locale,
      coordinator,
      nameCarrier: context.nameCarrier,
      withdraw: actionLink(context, job, 'withdraw', 'landlord', offer.locale),
    });
    return {
      kind: 'mail',
      mail: {
        from: context.mailFrom,
        to: job.target,
        replyTo: { name: coordinator.name, address: coordinator.email },
        messageId,
        ...rendered,
      },
    };
  }

  // The landlord's confirmation shows neither: the campaign is the office's bookkeeping, and the
  // landlord saw the rent check on the form.
  const rendered = renderOfferMail({
    ...input,
    recipient: job.recipientKind,
    buttons: staffButtons(job, context),
    campaign: campaign ?? undefined,
    rentCheck: checkRent(context.rentLimits, offer),
  });
  return {
    kind: 'mail',
    mail: {
      from: context.mailFrom,
      to: job.target,
      // One click on "reply" answers the landlord.
      replyTo: { name: offer.name, address: offer.email },
      messageId,
      ...rendered,
      attachments: [
        {
          filename: `wohnungsangebot-${record.reference}.json`,
          contentType: 'application/json',
          content: JSON.stringify(offerSubmittedEvent(record, offer, job.event, campaign), null, 2),
        },
      ],
    },
  };
}

function eventMail(job: ClaimedJob, context: MessageContext): Message {
  const { offer: record, event } = job;
  const { action } = event;
  const messageId = messageIdFor(record.reference, job.recipientKind, job.recipientId, context.mailFrom, event);
  const carrierId = (event.details.carrier as string | undefined) ?? record.takenOnBy ?? record.carrierId;
  const carrier = context.carriers.find((c) => c.id === carrierId);
  const envelope = { from: context.mailFrom, to: job.target, messageId };

  if (job.recipientKind === 'landlord') {
    // Nothing goes to a landlord whose data is erased (the address in the job is gone too).
    if (!record.payload || !landlordMailEvents.has(action)) {
      return { kind: 'undeliverable', detail: `no landlord mail for ${action} of an erased offer` };
    }
    const locale = record.payload.locale;
    const coordinator = { ...context.coordinator, name: context.coordinator.name[locale] };
    const link = (name: LinkActionName) => actionLink(context, job, name, 'landlord', locale);
    const t = useTranslations(locale);
    const buttons: LinkButton[] =
      action === 'follow_up'
        ? [
            { label: t('mail.landlord.stillAvailable'), href: link('available') },
            { label: t('mail.landlord.noLongerAvailable'), href: link('unavailable') },
          ]
        : action === 'aftercare_requested'
          ? [{ label: t('mail.landlord.answer'), href: link('aftercare') }]
          : [];
    const canWithdraw = event.stage === 'open' || event.stage === 'taken_on' || event.stage === 'stale';
    const rendered = renderLandlordEventMail({
      action: action as LandlordEventAction,
      reference: record.reference,
      locale,
      facts: factRows(job, locale),
      carrier: carrier && { name: carrier.name, email: carrier.email, phone: carrier.phone, website: carrier.website },
      coordinator,
      buttons,
      withdraw: canWithdraw ? link('withdraw') : undefined,
      reason: event.details.reason as string | undefined,
    });
    return {
      kind: 'mail',
      mail: { ...envelope, replyTo: { name: coordinator.name, address: coordinator.email }, ...rendered },
    };
  }

  if (!staffMailEvents.has(action)) return { kind: 'undeliverable', detail: `no staff mail for ${action}` };
  const t = useTranslations('de');
  const actorCarrier = context.carriers.find((c) => c.id === event.actorId);
  const by =
    event.actor === 'landlord'
      ? t('mail.event.by.landlord')
      : event.actor === 'coordinator'
        ? t('mail.event.byCoordinator')
        : event.actor === 'carrier'
          ? (actorCarrier?.name ?? t('mail.event.unknownCarrier'))
          : t('mail.event.by.system');
  const rendered = renderStaffEventMail({
    action: action as StaffEventAction,
    reference: record.reference,
    at: event.at,
    by,
    carrierName: carrier?.name,
    reason: event.details.reason as string | undefined,
    rating: typeof event.details.rating === 'number' ? event.details.rating : undefined,
    // The comment is for the coordination office, which evaluates the program.
    comment:
      action === 'aftercare_answered' && job.recipientKind === 'coordinator'
        ? (record.aftercareComment ?? undefined)
        : undefined,
    facts: factRows(job, 'de'),
    buttons: staffButtons(job, context),
  });
  // Replies go to the landlord while their data is there (as with the first staff mail).
  const landlord = record.payload;
  return {
    kind: 'mail',
    mail: {
      ...envelope,
      ...(landlord ? { replyTo: { name: landlord.name, address: landlord.email } } : {}),
      ...rendered,
    },
  };
}

export function buildMessage(job: ClaimedJob, context: MessageContext): Message {
  if (job.channel === 'webhook') return webhookMessage(job, context);
  if (job.event.action === 'submitted') return submittedMail(job, context);
  return eventMail(job, context);
}

/** One alert mail to the coordinator for dead jobs. */
export function buildAlertMail(
  dead: readonly DeadJob[],
  context: Pick<MessageContext, 'mailFrom' | 'coordinator'>,
): OutgoingMail {
  return {
    from: context.mailFrom,
    to: context.coordinator.email,
    messageId: `<alert.${dead[0]!.id}-${dead.at(-1)!.id}@${mailDomain(context.mailFrom)}>`,
    ...renderAlertMail(dead),
  };
}
