import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { parse as parseYaml } from 'yaml';
import { campaignSchema, campaignsSchema } from './schemas/campaigns.ts';
import { carrierSchema } from './schemas/carriers.ts';
import { figureSchema } from './schemas/figures.ts';
import { settingsSchema } from './schemas/settings.ts';
import { pageSchema, faqSchema } from './schemas/pages.ts';

/**
 * Everything the site says lives in `content/` (Markdown and YAML the coordinator can edit);
 * these collections validate it at build time, so a broken edit fails the build with the file
 * and field named instead of shipping a broken page.
 */

/** Page texts: `content/pages/<locale>/<pageId>.md`, one file per page and language. */
const pages = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/pages' }),
  schema: pageSchema,
});

/** FAQ for landlords: `content/faq/<locale>/<key>.md`, the same keys in both languages. */
const faq = defineCollection({
  loader: glob({ pattern: '*/*.md', base: './content/faq' }),
  schema: faqSchema,
});

/** The three carriers: profile on the site and routing table for offers. */
const carriers = defineCollection({
  loader: file('./content/carriers.yaml'),
  schema: carrierSchema,
});

/** Site settings as one entry with the id `site`. */
const settings = defineCollection({
  loader: file('./content/settings.yaml', {
    parser: (text) => [{ id: 'site', ...(parseYaml(text) as object) }],
  }),
  schema: settingsSchema.extend({ id: z.literal('site') }),
});

/**
 * Campaign codes of the coordination office: one flyer per code in the print kit. The whole list
 * is checked first, so a code used twice fails the build instead of one entry silently winning;
 * each entry remembers its position, because collections come back sorted by id.
 */
const campaigns = defineCollection({
  loader: file('./content/campaigns.yaml', {
    parser: (text) =>
      campaignsSchema.parse(parseYaml(text) ?? []).map((c, position) => ({ id: c.code, position, ...c })),
  }),
  schema: campaignSchema.extend({ id: z.string(), position: z.number().int() }),
});

/**
 * Public figures about the program, each with its date and source (about page). Collections come
 * back sorted by id, so each entry remembers its position in the file: the editors' order.
 */
const figures = defineCollection({
  loader: file('./content/figures.yaml', {
    parser: (text) => ((parseYaml(text) ?? []) as object[]).map((f, position) => ({ ...f, position })),
  }),
  schema: figureSchema.extend({ position: z.number().int() }),
});

export const collections = { pages, faq, carriers, settings, campaigns, figures };
