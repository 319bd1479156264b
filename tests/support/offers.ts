import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A complete, valid offer as the island sends it (JSON types). */
export function validOffer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    landlordType: 'private',
    name: 'Erika Mustermann',
    email: 'erika.mustermann@example.org',
    phone: '0221 123456',
    contactNotes: 'werktags ab 17 Uhr',
    street: 'Kalker Hauptstraße',
    houseNumber: '12a',
    postalCode: '51103',
    stadtteil: 'Kalk',
    rooms: 2.5,
    livingSpace: 62,
    floor: 2,
    lift: false,
    stepFree: false,
    availableFrom: '2099-03-01',
    wbs: 'no',
    furnished: false,
    maxOccupants: 3,
    description: 'Helle Wohnung mit Balkon.',
    coldRent: 650,
    serviceCharges: 180,
    heatingCosts: 90,
    heatingIncluded: false,
    deposit: 1950,
    privacyConsent: true,
    submissionId: randomUUID(),
    locale: 'de',
    ...overrides,
  };
}

/** The same offer as a urlencoded form post (everything a string, checkboxes only when ticked). */
export function asForm(offer: Record<string, unknown>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(offer)) {
    if (value === false || value === undefined) continue;
    params.set(key, value === true ? 'true' : String(value));
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'offers-test-'));
}
