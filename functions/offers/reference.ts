import { randomInt } from 'node:crypto';

/**
 * Reference numbers that people read out over the phone: no 0/O, 1/I/L, U/V confusion,
 * grouped as XXXX-XXXX, drawn from a cryptographic random source (29^8 ≈ 5·10^11 values, so
 * neither guessable nor enumerable). Uniqueness is enforced by the database; a collision is
 * simply drawn again.
 */
export const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const referencePattern = new RegExp(`^[${referenceAlphabet}]{4}-[${referenceAlphabet}]{4}$`);

export function newReference(): string {
  let chars = '';
  for (let i = 0; i < 8; i++) chars += referenceAlphabet[randomInt(referenceAlphabet.length)];
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Accepts what people type: lower case, spaces, missing hyphen, O for 0 and so on. */
export function normalizeReference(input: string): string | undefined {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '');
  if (cleaned.length !== 8) return undefined;
  const candidate = `${cleaned.slice(0, 4)}-${cleaned.slice(4)}`;
  return referencePattern.test(candidate) ? candidate : undefined;
}
