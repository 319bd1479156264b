import { z } from 'zod';
import { httpsUrl, localized } from './common.ts';

/**
 * A public figure about the program ("Das Programm in Zahlen"): what it says, as of when, and
 * where it was published. A figure without its date and source is not shown at all: the schema
 * makes both mandatory, the link optional (not every source is online).
 */
export const figureSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      .describe('Stable id, used as the anchor of the figure'),
    value: localized.describe('The figure itself, as printed large: "335", "etwa 4.700", "14.11.2017"'),
    text: localized.describe('The sentence that explains the figure, one sentence, plain text'),
    asOf: z.coerce.date().describe('The date the figure refers to or was published ("Stand")'),
    source: z
      .object({
        name: localized.describe('Who published it, in which document'),
        url: httpsUrl.optional().describe('Where the public can read it'),
      })
      .strict(),
  })
  .strict();
export type Figure = z.infer<typeof figureSchema>;
