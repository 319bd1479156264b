import type { Campaign } from '../../src/schemas/campaigns.ts';
import type { CampaignCount, OfferStore } from '../storage/types.ts';

/** One row of "offers per campaign" in the coordinator's figures. */
export interface CampaignFigure {
  /** The code; null for the offers that came without one. */
  code: string | null;
  /** Its label from content/campaigns.yaml; the code itself once it left the list; null without a code. */
  label: string | null;
  /** The Stadtbezirk the campaign is aimed at, if the list names one. */
  stadtbezirk: string | null;
  offers: number;
  /** Whether the code is in content/campaigns.yaml now. */
  listed: boolean;
}

/**
 * Offers per campaign with their labels: every listed campaign, also one that brought no offer
 * (a flyer that brings nothing is worth knowing), codes that left the list but brought offers in
 * the period, and the offers without a campaign last. Most offers first; equal counts keep the
 * order of the list.
 */
export function campaignFigures(counts: readonly CampaignCount[], campaigns: readonly Campaign[]): CampaignFigure[] {
  const offersOf = new Map(counts.map((c) => [c.campaign, c.offers]));
  const listed = campaigns.map((c) => ({
    code: c.code,
    label: c.label,
    stadtbezirk: c.stadtbezirk ?? null,
    offers: offersOf.get(c.code) ?? 0,
    listed: true,
  }));
  const known = new Set(campaigns.map((c) => c.code));
  const unlisted = counts
    .filter((c): c is CampaignCount & { campaign: string } => c.campaign !== null && !known.has(c.campaign))
    .map((c) => ({ code: c.campaign, label: c.campaign, stadtbezirk: null, offers: c.offers, listed: false }));
  const rows = [...listed, ...unlisted].sort((a, b) => b.offers - a.offers);
  const without = offersOf.get(null) ?? 0;
  return without > 0 ? [...rows, { code: null, label: null, stadtbezirk: null, offers: without, listed: false }] : rows;
}

/** The same, straight from the store: offers received from `from` (inclusive) to `to` (exclusive), held ones not counted. */
export async function loadCampaignFigures(
  store: Pick<OfferStore, 'campaignCounts'>,
  campaigns: readonly Campaign[],
  from: Date,
  to: Date,
): Promise<CampaignFigure[]> {
  return campaignFigures(await store.campaignCounts(from, to), campaigns);
}
