import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import type { Locale, PageId } from '../i18n/index.ts';
import { faqGroups } from '../schemas/pages.ts';

/** The site settings (`content/settings.yaml`). */
export async function getSettings() {
  const entry = await getEntry('settings', 'site');
  if (!entry) throw new Error('content/settings.yaml is missing');
  return entry.data;
}

/** The carriers in the order of `content/carriers.yaml`. */
export async function getCarriers() {
  return (await getCollection('carriers')).map((entry) => entry.data);
}

/** A page's text in one language; the parity test guarantees it exists. */
export async function getPage(locale: Locale, id: PageId): Promise<CollectionEntry<'pages'>> {
  const entry = await getEntry('pages', `${locale}/${id}`);
  if (!entry) throw new Error(`content/pages/${locale}/${id}.md is missing`);
  return entry;
}

/** FAQ entries of one language, grouped in the order of `faqGroups`, each group sorted. */
export async function getFaqGroups(locale: Locale) {
  const entries = await getCollection('faq', (entry) => entry.id.startsWith(`${locale}/`));
  return faqGroups
    .map((group) => ({
      group,
      entries: entries.filter((e) => e.data.group === group).sort((a, b) => a.data.order - b.data.order),
    }))
    .filter((g) => g.entries.length > 0);
}

/** The campaign codes in the order of `content/campaigns.yaml` (possibly none). */
export async function getCampaigns() {
  return (await getCollection('campaigns'))
    .sort((a, b) => a.data.position - b.data.position)
    .map(({ data: { id: _, position: __, ...campaign } }) => campaign);
}

/** The public figures in the order of `content/figures.yaml`. */
export async function getFigures() {
  return (await getCollection('figures'))
    .sort((a, b) => a.data.position - b.data.position)
    .map(({ data: { position: _, ...figure } }) => figure);
}
