/**
 * Reference numbers that people read out over the phone: no 0/O, 1/I/L, U/V confusion, grouped
 * as XXXX-XXXX (29^8 ≈ 5·10^11 values). The pattern is part of the webhook contract.
 */
export const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const referencePattern = new RegExp(`^[${referenceAlphabet}]{4}-[${referenceAlphabet}]{4}$`);
