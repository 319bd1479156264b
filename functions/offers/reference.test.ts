import { describe, expect, it } from 'vitest';
import { newReference, normalizeReference, referenceAlphabet, referencePattern } from './reference.ts';

describe('reference numbers', () => {
  it('look like XXXX-XXXX from an alphabet without look-alikes', () => {
    for (let i = 0; i < 1000; i++) expect(newReference()).toMatch(referencePattern);
    for (const confusable of ['0', 'O', '1', 'I', 'L', 'U', 'V']) expect(referenceAlphabet).not.toContain(confusable);
  });

  it('do not repeat in 100,000 draws and use every character', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newReference());
    expect(seen.size).toBe(100_000);
    const used = new Set([...seen].join('').replace(/-/g, ''));
    expect(used.size).toBe(referenceAlphabet.length);
  });

  it.each([
    ['k7m4-qx9t', 'K7M4-QX9T'],
    ['K7M4QX9T', 'K7M4-QX9T'],
    [' k7m4 qx9t ', 'K7M4-QX9T'],
    ['K7M4-QX9', undefined],
    ['K7M4-QX9O', undefined],
    ['../../etc', undefined],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeReference(input)).toBe(expected);
  });
});
