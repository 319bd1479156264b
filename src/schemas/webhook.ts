import { z } from 'zod';
import * as zm from 'zod/mini';
import { createOfferObject } from './offer.ts';
import type { OfferField } from './offer-fields.ts';
import { stadtbezirk } from './common.ts';
import { referencePattern } from './reference.ts';
import { campaignCodePattern } from './campaign-code.ts';

/**
 * The `offer.submitted` event: the body of every webhook and the JSON copy attached to the staff
 * mails. Versioned: `data.version` changes only with an incompatible change (a field removed,
 * renamed or given another type); new fields join the same version, so receivers ignore fields
 * they do not know (`campaign` joined version 1 this way). The JSON Schema in
 * docs/webhook-payload.schema.json is generated from this (npm run schema) and checked by a test.
 */
export const webhookPayloadVersion = 1;

export function createOfferEventSchema(fields?: readonly OfferField[]) {
  return z
    .strictObject({
      type: z.literal('offer.submitted'),
      timestamp: z.iso.datetime().describe('When the offer was received (UTC, ISO 8601)'),
      data: z.strictObject({
        version: z.literal(webhookPayloadVersion).describe('Payload version'),
        reference: z.string().regex(referencePattern).describe('Reference number the landlord was given'),
        receivedAt: z.iso.datetime(),
        routing: z.strictObject({
          stadtbezirk: stadtbezirk.nullable().describe('Stadtbezirk of the apartment'),
          carrierId: z.string().nullable().describe('Responsible carrier, null when none is assigned'),
          reason: z.string().describe('Why this carrier (a German sentence)'),
        }),
        campaign: z
          .strictObject({
            code: z.string().regex(campaignCodePattern).describe('The campaign code, as in offer.campaign'),
            label: z
              .string()
              .describe(
                'What the code stands for, from content/campaigns.yaml when the event was sent (the code itself if it is no longer listed)',
              ),
          })
          .nullable()
          .describe('The campaign (flyer, poster, link with ?via=) the landlord came through; null without one'),
        offer: zm
          .omit(createOfferObject({ today: '1970-01-01', fields }), { formStartedAt: true })
          .register(z.globalRegistry, { description: 'The offer with the public field names' }),
      }),
    })
    .describe('offer.submitted event of the Auszugsmanagement portal (Standard Webhooks payload)');
}

export const offerEventSchema = createOfferEventSchema();

/** The JSON Schema for receivers, as published in docs/. */
export function offerEventJsonSchema(fields?: readonly OfferField[]) {
  return z.toJSONSchema(createOfferEventSchema(fields), {
    io: 'output',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
}
