import { internalFields, type Offer } from '../../src/schemas/offer.ts';
import { webhookPayloadVersion, type OfferWebhookEvent } from '../../src/schemas/webhook.ts';
import type { OfferEvent } from '../storage/types.ts';

/**
 * The versioned event bodies sent to webhooks (and, for offer.submitted, attached to the staff
 * mails as JSON). Their shape is the zod schema in src/schemas/webhook.ts (and the JSON Schema
 * generated from it in docs/).
 */
export interface OfferRecord {
  reference: string;
  receivedAt: string;
  stadtbezirk: string | null;
  carrierId: string | null;
  routingReason: string;
  takenOnBy?: string | null;
}

/** The offer with its public field names: what the server keeps to itself is left out. */
export function publicOffer(offer: Offer): Omit<Offer, (typeof internalFields)[number]> {
  const copy: Record<string, unknown> = { ...offer };
  for (const name of internalFields) delete copy[name];
  return copy as Omit<Offer, (typeof internalFields)[number]>;
}

function common(record: OfferRecord, event: OfferEvent) {
  return {
    version: webhookPayloadVersion,
    reference: record.reference,
    stage: event.stage,
    // The carrier named by a taken_on/placed event is the one responsible from then on.
    carrierId: (event.details.carrier as string | undefined) ?? record.takenOnBy ?? record.carrierId,
    event: {
      seq: event.seq,
      at: event.at,
      actor: event.actor,
      actorId: event.actorId,
      action: event.action,
      details: event.details,
    },
  };
}

export function offerSubmittedEvent(record: OfferRecord, offer: Offer, event: OfferEvent) {
  return {
    type: 'offer.submitted' as const,
    timestamp: record.receivedAt,
    data: {
      ...common(record, event),
      receivedAt: record.receivedAt,
      routing: { stadtbezirk: record.stadtbezirk, carrierId: record.carrierId, reason: record.routingReason },
      offer: publicOffer(offer),
    },
  };
}

/** Any later event: the reference, where the offer stands, and what happened; no personal data. */
export function offerLifeEvent(record: OfferRecord, event: OfferEvent) {
  return {
    type: `offer.${event.action}`,
    timestamp: event.at,
    data: common(record, event),
  } as unknown as OfferWebhookEvent;
}
