import type { OfferStore } from '../storage/types.ts';
import { periodBounds, type Period } from './calendar.ts';
import { computeFigures, type FigureOptions, type Figures } from './figures.ts';

/** The figures of a period, straight from the store: what `npm run report` and the weekly mail show. */
export async function loadFigures(
  store: OfferStore,
  period: Period,
  carriers: FigureOptions['carriers'],
): Promise<Figures> {
  const { start, end } = periodBounds(period);
  return computeFigures(await store.reportData(start, end), { ...period, carriers });
}
