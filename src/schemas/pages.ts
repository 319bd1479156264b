import { z } from 'zod';

/** A card in a list of benefits ("what you get"). `icon` names a Lucide icon. */
const highlight = z
  .object({
    title: z.string().trim().min(2).describe('Short heading of the card'),
    text: z.string().trim().min(2).describe('One or two sentences; plain text'),
    icon: z
      .enum([
        'euro',
        'key',
        'user',
        'file',
        'heart',
        'phone',
        'home',
        'shield',
        'handshake',
        'users',
        'mail',
        'building',
      ])
      .optional()
      .describe('Icon shown beside the heading'),
  })
  .strict();

/** One step of a process ("how it works"). */
const step = z
  .object({
    title: z.string().trim().min(2),
    text: z.string().trim().min(2),
  })
  .strict();

/**
 * Frontmatter of a page text. The body (Markdown) follows the structured blocks on the page.
 * Which page a file belongs to follows from its name: `content/pages/de/landlords.md`.
 */
export const pageSchema = z
  .object({
    title: z.string().trim().min(2).max(70).describe('Page title: <title>, <h1> and breadcrumbs'),
    description: z
      .string()
      .trim()
      .min(50)
      .max(170)
      .describe('Meta description for search engines and link previews (50–170 characters)'),
    lead: z.string().trim().min(2).optional().describe('Introductory paragraph below the heading'),
    highlightsTitle: z.string().trim().optional(),
    highlights: z.array(highlight).optional(),
    stepsTitle: z.string().trim().optional(),
    steps: z.array(step).optional(),
  })
  .strict();

/** The groups the FAQ is divided into; their titles are UI strings (`faq.group.<key>`). */
export const faqGroups = ['money', 'process', 'tenants', 'apartment', 'program'] as const;

/** One FAQ entry: question in the frontmatter, answer as Markdown body. */
export const faqSchema = z
  .object({
    question: z.string().trim().min(5).max(160).describe('The question as a landlord would ask it'),
    group: z.enum(faqGroups).describe('Section of the FAQ page'),
    order: z.number().int().min(0).describe('Position within its group'),
    anchor: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase words joined by hyphens')
      .describe("Fragment for links to this question, in the page's language"),
  })
  .strict();
