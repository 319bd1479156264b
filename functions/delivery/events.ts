import { internalFields, type Offer } from '../../src/schemas/offer.ts';
import { webhookPayloadVersion } from '../../src/schemas/webhook.ts';

/**
 * The versioned event body sent to webhooks and attached to staff mails as JSON. Its shape is
 * the zod schema in src/schemas/webhook.ts (and the JSON Schema generated from it in docs/).
 */
export interface OfferRecord {
  reference: string;
  receivedAt: string;
  stadtbezirk: string | null;
  carrierId: string | null;
  routingReason: string;
}

/** The offer with its public field names: what the server keeps to itself is left out. */
export function publicOffer(offer: Offer): Omit<Offer, (typeof internalFields)[number]> {
  const copy: Record<string, unknown> = { ...offer };
  for (const name of internalFields) delete copy[name];
  return copy as Omit<Offer, (typeof internalFields)[number]>;
}

/** The campaign an offer came through, with its label for people (content/campaigns.yaml). */
export interface CampaignRecord {
  code: string;
  label: string;
}

export function offerSubmittedEvent(record: OfferRecord, offer: Offer, campaign: CampaignRecord | null = null) {
  return {
    type: 'offer.submitted' as const,
    timestamp: record.receivedAt,
    data: {
      version: webhookPayloadVersion,
      reference: record.reference,
      receivedAt: record.receivedAt,
      routing: { stadtbezirk: record.stadtbezirk, carrierId: record.carrierId, reason: record.routingReason },
      campaign,
      offer: publicOffer(offer),
    },
  };
}
