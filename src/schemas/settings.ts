import { z } from 'zod';
import { email, httpsUrl, localized, phone, postalAddress } from './common.ts';

/** A contact point as shown on the site: who, how to reach them. */
const contactPoint = z
  .object({
    name: localized.describe('Name of the office or person'),
    email: email,
    phone: phone.optional(),
    address: postalAddress.optional(),
    hours: localized.optional().describe('When the phone is answered'),
  })
  .strict();

/**
 * Reasonable housing costs (Kosten der Unterkunft) that the authorities accept. The city changes
 * them from time to time; the site shows them only when `published` is true, always with the
 * date they are valid from and their source.
 */
const rentLimits = z
  .object({
    published: z.boolean().describe('Show the table on the site (only once the city has confirmed the values)'),
    validFrom: z.coerce.date().describe('Date from which these values apply'),
    source: z.string().trim().min(1).describe('Where the values come from'),
    sourceUrl: httpsUrl.optional(),
    rows: z
      .array(
        z
          .object({
            persons: z.number().int().min(1).max(20),
            maxLivingSpace: z.number().positive().describe('m²'),
            maxGrossColdRent: z.number().positive().describe('Euro per month, Bruttokaltmiete'),
          })
          .strict(),
      )
      .min(1),
    perFurtherPerson: z
      .object({ livingSpace: z.number().positive(), grossColdRent: z.number().positive() })
      .strict()
      .optional(),
  })
  .strict();

/** Site-wide settings that the city fills in: `content/settings.yaml`. */
export const settingsSchema = z
  .object({
    siteName: localized.describe('Name of the portal, shown in the header and in titles'),
    coordinator: contactPoint.describe("The city's coordination office: receives every offer"),
    publisher: z
      .object({
        name: localized.describe('Publisher for the Impressum'),
        department: localized,
        representative: localized.describe('Who legally represents the publisher'),
        address: postalAddress,
        email: email,
        phone: phone.optional(),
        supervisoryAuthority: localized.optional(),
      })
      .strict(),
    dataProtectionOfficer: z.object({ name: localized, email: email, address: postalAddress.optional() }).strict(),
    dataProtectionAuthority: z
      .object({ name: localized, website: httpsUrl.optional() })
      .strict()
      .describe('The supervisory authority for data protection complaints'),
    accessibility: z
      .object({
        statementDate: z.coerce.date().describe('Date the accessibility statement was written'),
        legalBasis: localized.describe(
          'The accessibility law the statement rests on (for a Cologne site: BGG NRW and BITV NRW), as the city words it',
        ),
        reviewedDate: z.coerce.date().optional().describe('Date it was last reviewed'),
        feedbackEmail: email.describe('Where people report barriers'),
        enforcementBody: z
          .object({ name: localized, website: httpsUrl.optional(), email: email.optional() })
          .strict()
          .describe('Where people turn if the answer does not satisfy them'),
      })
      .strict(),
    retention: z
      .object({
        serverLogs: localized.describe(
          "What the web server's technical logs hold and how long they are kept, as a sentence",
        ),
      })
      .strict()
      .describe(
        'Retention of the web server logs for the privacy notice. How long offers are kept is not a setting: it comes from src/config/retention.ts',
      ),
    offerStorage: localized.describe(
      'Where the database of offers runs (the hosting), as a sentence for the privacy notice',
    ),
    emailDelivery: localized
      .describe(
        "Who sends the portal's e-mails technically (the city's mail server, or a processor such as SendGrid): shown in the privacy notice",
      )
      .optional(),
    rentLimits: rentLimits.optional(),
    routing: z
      .object({
        assignmentConfirmed: z
          .boolean()
          .describe(
            'The city has confirmed which carrier serves which Stadtbezirk (content/carriers.yaml). Until then the site and the landlord mail name no carrier',
          ),
      })
      .strict()
      .default({ assignmentConfirmed: false }),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
