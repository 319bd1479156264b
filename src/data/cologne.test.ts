import { describe, expect, it } from 'vitest';
import { bezirkOf, colognePostalCodes, isColognePostalCode, stadtteile, stadtteilNames } from './cologne.ts';
import { stadtbezirke } from '../schemas/common.ts';

describe('Cologne reference data', () => {
  it('has the 86 Stadtteile, unique, numbered 101 to 909 by Stadtbezirk', () => {
    expect(stadtteile).toHaveLength(86);
    expect(new Set(stadtteile.map((s) => s.name)).size).toBe(86);
    for (const s of stadtteile) expect(stadtbezirke[Math.floor(s.number / 100) - 1]).toBe(s.bezirk);
  });
  it('uses all nine Stadtbezirke', () => {
    expect(stadtbezirke).toHaveLength(9);
    expect(new Set(stadtteile.map((s) => s.bezirk))).toEqual(new Set(stadtbezirke));
  });
  it.each([
    ['Innenstadt', 5],
    ['Rodenkirchen', 13],
    ['Lindenthal', 9],
    ['Ehrenfeld', 6],
    ['Nippes', 7],
    ['Chorweiler', 12],
    ['Porz', 16],
    ['Kalk', 9],
    ['Mülheim', 9],
  ])('%s has %i Stadtteile, numbered without gaps', (bezirk, count) => {
    const numbers = stadtteile.filter((s) => s.bezirk === bezirk).map((s) => s.number);
    const first = (stadtbezirke.indexOf(bezirk as (typeof stadtbezirke)[number]) + 1) * 100 + 1;
    expect(numbers).toEqual(Array.from({ length: count }, (_, i) => first + i));
  });
  it.each([
    [101, 'Altstadt-Süd'],
    [102, 'Neustadt-Süd'],
    [103, 'Altstadt-Nord'],
    [105, 'Deutz'],
    [208, 'Rodenkirchen'],
    [213, 'Meschenich'],
    [303, 'Lindenthal'],
    [405, 'Bocklemünd/Mengenich'],
    [507, 'Bilderstöckchen'],
    [609, 'Chorweiler'],
    [611, 'Roggendorf/Thenhoven'],
    [706, 'Porz'],
    [716, 'Finkenberg'],
    [801, 'Humboldt/Gremberg'],
    [802, 'Kalk'],
    [808, 'Rath/Heumar'],
    [901, 'Mülheim'],
    [905, 'Dellbrück'],
    [906, 'Höhenhaus'],
  ])('Stadtteil %i is %s', (number, name) => {
    expect(stadtteile.find((s) => s.number === number)?.name).toBe(name);
  });
  it('lists the names in the same order as the Stadtteile', () => {
    expect(stadtteilNames).toEqual(stadtteile.map((s) => s.name));
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
    ['50666', false],
    ['51150', false],
    ['50259', false],
    ['51467', false],
    ['5066', false],
    [' 50667', false],
  ])('%s is a Cologne postal code: %s', (code, expected) => {
    expect(isColognePostalCode(code)).toBe(expected);
  });
  it('has the 45 street-address postal codes of the city', () => {
    expect(colognePostalCodes.size).toBe(45);
  });
  it('has five-digit codes between 50667 and 51149 only', () => {
    for (const code of colognePostalCodes) expect(code).toMatch(/^5(0[6-9]|1[01])\d\d$/);
  });
});
