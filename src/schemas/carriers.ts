import { z } from 'zod';
import { email, httpsUrl, localized, phone, postalAddress, stadtbezirk } from './common.ts';
import { isAllowedWebhookUrl } from './webhook-url.ts';

/**
 * A carrier (Träger) of the program: its public profile on the site and its line in the routing
 * table that decides which carrier receives an apartment offer. One file, one truth:
 * `content/carriers.yaml`.
 */
export const carrierSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .describe('Stable id, used in URLs, routing and webhooks'),
    name: z.string().trim().min(2).describe('Name as the city writes it, e.g. "Caritasverband"'),
    shortName: z.string().trim().min(2).optional().describe('Short form, e.g. "DRK"'),
    description: localized.describe("One or two sentences about the carrier's part in the program"),
    email: email.describe('Address that receives the offers routed to this carrier'),
    phone: phone.optional().describe('Phone number for landlords, if the carrier publishes one'),
    address: postalAddress.optional(),
    website: httpsUrl.optional().describe("The carrier's own website"),
    webhookUrl: z
      .url()
      .refine((url) => isAllowedWebhookUrl(new URL(url)), 'webhooks go over https (plain http only to this machine)')
      .optional()
      .describe("Endpoint of the carrier's own system for offers (https)"),
    stadtbezirke: z.array(stadtbezirk).describe('Stadtbezirke this carrier is responsible for (routing of offers)'),
  })
  .strict();
export type Carrier = z.infer<typeof carrierSchema>;

/** The routing table as a whole: no Stadtbezirk may belong to two carriers. */
export const carriersSchema = z
  .array(carrierSchema)
  .min(1)
  .superRefine((carriers, ctx) => {
    const owner = new Map<string, string>();
    const ids = new Set<string>();
    for (const [index, carrier] of carriers.entries()) {
      if (ids.has(carrier.id)) {
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate carrier id "${carrier.id}"` });
      }
      ids.add(carrier.id);
      for (const bezirk of carrier.stadtbezirke) {
        const previous = owner.get(bezirk);
        if (previous) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'stadtbezirke'],
            message: `Stadtbezirk "${bezirk}" is assigned to both "${previous}" and "${carrier.id}"`,
          });
        }
        owner.set(bezirk, carrier.id);
      }
    }
  });
