import type { Carrier } from '../../src/schemas/carriers.ts';
import type { Campaign } from '../../src/schemas/campaigns.ts';
import { checkRent, type RentLimitTable } from '../../src/lib/rent-check.ts';
import { renderConfirmationMail } from '../mail/confirmation-mail.ts';
import { renderOfferMail } from '../mail/offer-mail.ts';
import { renderAlertMail } from '../mail/alert-mail.ts';
import type { ClaimedJob, DeadJob } from '../storage/types.ts';
import { offerSubmittedEvent } from './events.ts';
import type { OutgoingMail } from './mail.ts';

/**
 * What a delivery job sends: a mail (staff mail, landlord confirmation) or a signed webhook,
 * built from the stored offer. Message-IDs and webhook-ids are stable per offer and recipient,
 * so a duplicate from a crash window can be recognised by its receiver.
 */
export interface MessageContext {
  mailFrom: string;
  /** The coordination office; its name in both languages for the landlord's confirmation. */
  coordinator: { name: { de: string; en: string }; email: string; phone?: string };
  carriers: readonly Carrier[];
  /** The city confirmed the carrier table: the landlord's mail may name the carrier. */
  nameCarrier: boolean;
  /** The campaign codes and their labels (content/campaigns.yaml), for the staff mail and the webhook. */
  campaigns?: readonly Campaign[];
  /** The published rent limits: the staff mail shows the rent check. Unset while unpublished. */
  rentLimits?: RentLimitTable;
  /** The webhook secret of a recipient (WEBHOOK_SECRET_<ID>), never from content/. */
  webhookSecret: (recipientId: string) => string | undefined;
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

/** Stable Message-ID for one offer and one recipient. */
export function messageIdFor(reference: string, kind: string, recipientId: string, from: string): string {
  return `<${reference}.${kind}.${recipientId}@${mailDomain(from)}>`;
}

/** Stable webhook-id for one offer and one endpoint (the idempotency key of Standard Webhooks). */
export function webhookIdFor(reference: string, recipientId: string): string {
  return `msg_${reference}_${recipientId}`;
}

export function buildMessage(job: ClaimedJob, context: MessageContext): Message {
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
  // A code that left the list after the offer came keeps its code as its label.
  const campaign = offer.campaign
    ? {
        code: offer.campaign,
        label: context.campaigns?.find((c) => c.code === offer.campaign)?.label ?? offer.campaign,
      }
    : null;

  if (job.channel === 'webhook') {
    const secret = context.webhookSecret(job.recipientId);
    if (!secret) {
      return {
        kind: 'undeliverable',
        detail: `no webhook secret configured (WEBHOOK_SECRET_${job.recipientId.toUpperCase()})`,
      };
    }
    return {
      kind: 'webhook',
      url: job.target,
      id: webhookIdFor(record.reference, job.recipientId),
      body: JSON.stringify(offerSubmittedEvent(record, offer, campaign)),
      secret,
    };
  }

  if (job.recipientKind === 'landlord') {
    const coordinator = { ...context.coordinator, name: context.coordinator.name[offer.locale] };
    const rendered = renderConfirmationMail({
      ...input,
      locale: offer.locale,
      coordinator,
      nameCarrier: context.nameCarrier,
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
          content: JSON.stringify(offerSubmittedEvent(record, offer, campaign), null, 2),
        },
      ],
    },
  };
}

/** One alert mail to the coordinator for dead jobs. */
export function buildAlertMail(dead: readonly DeadJob[], context: MessageContext): OutgoingMail {
  return {
    from: context.mailFrom,
    to: context.coordinator.email,
    messageId: `<alert.${dead[0]!.id}-${dead.at(-1)!.id}@${mailDomain(context.mailFrom)}>`,
    ...renderAlertMail(dead),
  };
}
