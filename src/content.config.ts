import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { parse as parseYaml } from 'yaml';
import { carrierSchema } from './schemas/carriers.ts';
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

export const collections = { pages, faq, carriers, settings };
