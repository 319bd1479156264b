import { z } from 'zod';
import * as zm from 'zod/mini';
import { createOfferObject } from './offer.ts';
import type { OfferField } from './offer-fields.ts';
import { stadtbezirk } from './common.ts';
import { referencePattern } from './reference.ts';
import { aftercareScale, notSuitableReasons, stages } from '../../functions/lifecycle/model.ts';

/**
 * The webhook events: the body of every webhook and (offer.submitted) the JSON copy attached to
 * the staff mails. One event per step of an offer's life that changes where it stands, told to
 * the carrier responsible for it. Versioned: `data.version` changes only with an incompatible
 * change (docs/webhook-changelog.md). The JSON Schema in docs/webhook-payload.schema.json is
 * generated from this (npm run schema) and checked by a test.
 *
 * No event but offer.submitted carries personal data: the others name the offer by its
 * reference, so a receiver that never stored the offer learns nothing from them.
 */
export const webhookPayloadVersion = 2;

const reference = z.string().regex(referencePattern).describe('Reference number the landlord was given');
const round = z.int().min(0).describe('How many "still available?" questions had been asked (0: none)');

/** What each event's `data.event.details` holds: non-personal facts only. */
const details = {
  submitted: z.strictObject({}),
  withdrawn: z.strictObject({}),
  availability_confirmed: z.strictObject({ round }),
  unavailable: z.strictObject({ round }),
  taken_on: z.strictObject({ carrier: z.string().describe('Id of the carrier who took the offer on') }),
  placed: z.strictObject({ carrier: z.string().optional().describe('Id of the carrier who placed it, if known') }),
  not_suitable: z.strictObject({ reason: z.enum(notSuitableReasons).describe('Why, from a fixed list') }),
  aftercare_answered: z.strictObject({
    rating: z
      .union(aftercareScale.map((n) => z.literal(n)))
      .describe('"How did the tenancy start?" from 1 (very bad) to 5 (very good)'),
    comment: z
      .boolean()
      .describe('Whether the landlord added a comment (the text goes to the coordination office only)'),
  }),
  stale: z.strictObject({ answered: z.boolean().describe('Whether the landlord answered any question') }),
  closed: z.strictObject({ aftercare: z.literal('unanswered') }),
} as const;
export type WebhookEventAction = keyof typeof details;
export const webhookEventActions = Object.keys(details) as WebhookEventAction[];

const descriptions: Record<WebhookEventAction, string> = {
  submitted: 'A landlord offered an apartment (the only event with personal data: the offer)',
  withdrawn: 'The landlord withdrew the offer; the portal erases its personal data once everyone is told',
  availability_confirmed: 'The landlord confirmed that the apartment is still available',
  unavailable: 'The landlord reported that the apartment is no longer available',
  taken_on: 'A carrier took the offer on',
  placed: 'The apartment was let to a household of the program; after-care begins',
  not_suitable: 'A carrier or the coordination office found the offer not suitable',
  aftercare_answered: 'The landlord answered the after-care question three months after placement',
  stale: 'The landlord did not confirm the apartment after the last "still available?" question',
  closed: 'The after-care question went unanswered; the offer is closed',
};

function eventSchema<A extends WebhookEventAction>(action: A, extra: z.core.$ZodLooseShape = {}) {
  return z
    .strictObject({
      type: z.literal(`offer.${action}`),
      timestamp: z.iso.datetime().describe('When it happened (UTC, ISO 8601)'),
      data: z.strictObject({
        version: z.literal(webhookPayloadVersion).describe('Payload version'),
        reference,
        stage: z.enum(stages).describe('Where the offer stands after this event'),
        carrierId: z.string().nullable().describe('The carrier responsible now: who took it on, else the routed one'),
        event: z.strictObject({
          seq: z.int().min(1).describe("The event's number within the offer (1: submitted)"),
          at: z.iso.datetime(),
          actor: z.enum(['landlord', 'coordinator', 'carrier', 'system']).describe('Who did it (a role, never a name)'),
          actorId: z.string().nullable().describe("The carrier's id when a carrier did it"),
          action: z.literal(action),
          details: details[action],
        }),
        ...extra,
      }),
    })
    .describe(`offer.${action}: ${descriptions[action]}`);
}

/** offer.submitted: the offer itself, with its routing. `fields` only for tests with a changed field list. */
export function createSubmittedEventSchema(fields?: readonly OfferField[]) {
  return eventSchema('submitted', {
    receivedAt: z.iso.datetime(),
    routing: z.strictObject({
      stadtbezirk: stadtbezirk.nullable().describe('Stadtbezirk of the apartment'),
      carrierId: z.string().nullable().describe('Responsible carrier, null when none is assigned'),
      reason: z.string().describe('Why this carrier (a German sentence)'),
    }),
    offer: zm
      .omit(createOfferObject({ today: '1970-01-01', fields }), { formStartedAt: true })
      .register(z.globalRegistry, { description: 'The offer with the public field names' }),
  });
}

export function createOfferEventSchema(fields?: readonly OfferField[]) {
  return z
    .discriminatedUnion('type', [
      createSubmittedEventSchema(fields),
      ...webhookEventActions.filter((a) => a !== 'submitted').map((a) => eventSchema(a)),
    ])
    .describe('Webhook events of the Auszugsmanagement portal (Standard Webhooks payloads)');
}

export const offerEventSchema = createOfferEventSchema();
export type OfferWebhookEvent = z.infer<typeof offerEventSchema>;

const jsonSchemaOptions = { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' } as const;

/** The JSON Schema for receivers, as published in docs/. */
export function offerEventJsonSchema(fields?: readonly OfferField[]) {
  return z.toJSONSchema(createOfferEventSchema(fields), jsonSchemaOptions);
}

/** The offer.submitted event alone (the README's field table is made from it). */
export function submittedEventJsonSchema(fields?: readonly OfferField[]) {
  return z.toJSONSchema(createSubmittedEventSchema(fields), jsonSchemaOptions);
}
