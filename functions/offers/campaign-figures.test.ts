import { describe, expect, it } from 'vitest';
import { campaignFigures, loadCampaignFigures } from './campaign-figures.ts';
import type { Campaign } from '../../src/schemas/campaigns.ts';

const campaigns: Campaign[] = [
  { code: 'flyer-kalk', label: 'Flyer Bürgeramt Kalk 2027', stadtbezirk: 'Kalk' },
  { code: 'poster-porz', label: 'Plakat Porz 2027' },
  { code: 'ehrenamt', label: 'Weitergabe durch Ehrenamtliche' },
];

describe('offers per campaign for the coordinator', () => {
  it('names every listed campaign with its label, also one without offers, most offers first', () => {
    const rows = campaignFigures(
      [
        { campaign: null, offers: 4 },
        { campaign: 'poster-porz', offers: 3 },
        { campaign: 'flyer-kalk', offers: 1 },
      ],
      campaigns,
    );
    expect(rows).toEqual([
      { code: 'poster-porz', label: 'Plakat Porz 2027', stadtbezirk: null, offers: 3, listed: true },
      { code: 'flyer-kalk', label: 'Flyer Bürgeramt Kalk 2027', stadtbezirk: 'Kalk', offers: 1, listed: true },
      { code: 'ehrenamt', label: 'Weitergabe durch Ehrenamtliche', stadtbezirk: null, offers: 0, listed: true },
      { code: null, label: null, stadtbezirk: null, offers: 4, listed: false },
    ]);
  });

  it('keeps a code that left the list under its code, and leaves out "without campaign" when there is none', () => {
    const rows = campaignFigures([{ campaign: 'flyer-alt', offers: 2 }], campaigns.slice(0, 1));
    expect(rows).toEqual([
      { code: 'flyer-alt', label: 'flyer-alt', stadtbezirk: null, offers: 2, listed: false },
      { code: 'flyer-kalk', label: 'Flyer Bürgeramt Kalk 2027', stadtbezirk: 'Kalk', offers: 0, listed: true },
    ]);
  });

  it('is empty with neither campaigns nor offers', () => {
    expect(campaignFigures([], [])).toEqual([]);
  });

  it('asks the store for the period it is given', async () => {
    const asked: Date[][] = [];
    const store = {
      campaignCounts: async (from: Date, to: Date) => {
        asked.push([from, to]);
        return [{ campaign: 'flyer-kalk', offers: 5 }];
      },
    };
    const from = new Date('2027-03-01T00:00:00Z');
    const to = new Date('2027-04-01T00:00:00Z');
    const rows = await loadCampaignFigures(store, campaigns.slice(0, 1), from, to);
    expect(asked).toEqual([[from, to]]);
    expect(rows.map((r) => [r.code, r.offers])).toEqual([['flyer-kalk', 5]]);
  });
});
