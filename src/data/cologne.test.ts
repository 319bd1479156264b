import { describe, expect, it } from 'vitest';
import { bezirkOf, colognePostalCodes, isColognePostalCode, stadtteile } from './cologne.ts';
import { stadtbezirke } from '../schemas/common.ts';

describe('Cologne reference data', () => {
  it('has the 86 Stadtteile, unique, numbered 101 to 909 by Stadtbezirk', () => {
    expect(stadtteile).toHaveLength(86);
    expect(new Set(stadtteile.map((s) => s.name)).size).toBe(86);
    for (const s of stadtteile) expect(stadtbezirke[Math.floor(s.number / 100) - 1]).toBe(s.bezirk);
  });
  it('uses all nine Stadtbezirke', () => {
    expect(new Set(stadtteile.map((s) => s.bezirk))).toEqual(new Set(stadtbezirke));
  });
  it.each([
    ['Kalk', 'Kalk'],
    ['Humboldt/Gremberg', 'Kalk'],
    ['Altstadt-Nord', 'Innenstadt'],
    ['Deutz', 'Innenstadt'],
    ['Weiß', 'Rodenkirchen'],
    ['Chorweiler', 'Chorweiler'],
    ['Flittard', 'Mülheim'],
    ['Bonn', undefined],
  ])('%s lies in %s', (name, bezirk) => {
    expect(bezirkOf(name)).toBe(bezirk);
  });
  it.each([
    ['50667', true],
    ['51149', true],
    ['51103', true],
    ['50999', true],
    ['50100', false],
    ['53111', false],
    ['10115', false],
  ])('%s is a Cologne postal code: %s', (code, expected) => {
    expect(isColognePostalCode(code)).toBe(expected);
  });
  it('has five-digit codes between 50667 and 51149 only', () => {
    for (const code of colognePostalCodes) expect(code).toMatch(/^5(0[6-9]|1[01])\d\d$/);
  });
});
