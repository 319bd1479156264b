import { stadtteileByPostalCode } from '../../src/data/cologne.ts';

/**
 * A seeded random source (mulberry32) for the chaos of the fault tests: a failing run can be
 * replayed with FAULT_SEED=<seed>. The seed is part of every assertion message.
 */
export function seededRandom(seed = Number(process.env.FAULT_SEED ?? Date.now() % 2 ** 31)) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, random };
}

/** A postal code whose area holds the Stadtteil (offers must name a fitting pair). */
export function postalCodeFor(stadtteil: string): string {
  const code = Object.entries(stadtteileByPostalCode).find(([, area]) => area.streets.includes(stadtteil))?.[0];
  if (!code) throw new Error(`no postal code for ${stadtteil}`);
  return code;
}
