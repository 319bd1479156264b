import { z } from 'zod';
import { stadtbezirk } from './common.ts';
import { campaignCodePattern } from './campaign-code.ts';

/**
 * A campaign code: the coordination office hands out flyers, posters or links with a code, and
 * the offer page is reached as `/angebot/?via=<code>`. The code is part of a URL and is typed by
 * people from paper, so it is short, lowercase and without characters that need escaping.
 */
export const campaignCode = z
  .string()
  .regex(campaignCodePattern, 'campaign code: 2–40 lowercase letters, digits or hyphens')
  .describe('The code in the address: /angebot/?via=<code>');

/** One campaign the coordination office runs: `content/campaigns.yaml`. */
export const campaignSchema = z
  .object({
    code: campaignCode,
    label: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .describe('What the code was made for, e.g. "Flyer Bürgeramt Ehrenfeld 2027": for the office, not for landlords'),
    stadtbezirk: stadtbezirk.optional().describe('The Stadtbezirk the campaign is aimed at, if any'),
  })
  .strict();
export type Campaign = z.infer<typeof campaignSchema>;

/** The whole file: a list (possibly empty) in which no code appears twice. */
export const campaignsSchema = z.array(campaignSchema).superRefine((campaigns, ctx) => {
  const seen = new Set<string>();
  for (const [index, campaign] of campaigns.entries()) {
    if (seen.has(campaign.code)) {
      ctx.addIssue({ code: 'custom', path: [index, 'code'], message: `duplicate campaign code "${campaign.code}"` });
    }
    seen.add(campaign.code);
  }
});
