import { randomInt } from 'node:crypto';
import { referenceAlphabet, referencePattern } from '../../src/schemas/reference.ts';

export { referenceAlphabet, referencePattern };

/**
 * A new reference number from a cryptographic random source, so that it is neither guessable nor
 * enumerable. Uniqueness is enforced by the database; a collision is simply drawn again.
 */
export function newReference(): string {
  let chars = '';
  for (let i = 0; i < 8; i++) chars += referenceAlphabet[randomInt(referenceAlphabet.length)];
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/**
 * Accepts what people type: lower case, spaces, a missing or extra hyphen. Characters outside the
 * alphabet (0, O, 1, I, L, U, V) make it no reference: they are never issued.
 */
export function normalizeReference(input: string): string | undefined {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '');
  if (cleaned.length !== 8) return undefined;
  const candidate = `${cleaned.slice(0, 4)}-${cleaned.slice(4)}`;
  return referencePattern.test(candidate) ? candidate : undefined;
}
