import { z } from 'zod';
import { stadtbezirke } from '../data/cologne.ts';

export { stadtbezirke };

/**
 * Shared building blocks of the content schemas. Plain zod (the same instance `astro/zod`
 * re-exports), so the server side in `functions/` can validate the same files without Astro.
 */

/** A text in both site languages. German is the city's language; English is a real translation. */
export const localized = z
  .object({
    de: z.string().trim().min(1).describe('German text'),
    en: z.string().trim().min(1).describe('English text'),
  })
  .strict();

export const stadtbezirk = z.enum(stadtbezirke).describe("One of Cologne's nine Stadtbezirke");

export const email = z.email().describe('An email address');
/** A phone number as people write it: digits, spaces, +, /, -, parentheses. */
export const phone = z
  .string()
  .trim()
  .regex(/^[+0-9X][0-9X ()/-]{5,30}$/, 'phone number: digits, spaces, + / - ( ) only')
  .describe('A phone number as written on the page');
export const httpsUrl = z.url({ protocol: /^https?$/ }).describe('A web address');

export const postalAddress = z
  .object({
    street: z.string().trim().min(1).describe('Street and number'),
    postalCode: z
      .string()
      .regex(/^\d{5}$/, 'five digits')
      .describe('German postal code'),
    city: z.string().trim().min(1).describe('City'),
  })
  .strict();
