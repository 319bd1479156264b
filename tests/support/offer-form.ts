import type { Page } from 'playwright-core';

/** The offer form in Chromium: its addresses, its buttons' words, filling it in. */
export const paths = { de: '/angebot/', en: '/en/offer/' } as const;
export const texts = {
  de: {
    review: 'Weiter: Angaben prüfen',
    send: 'Angebot senden',
    check: 'Prüfen Sie Ihre Angaben',
    thanks: 'Vielen Dank für Ihr Angebot',
    summary: 'Bitte prüfen Sie Ihre Angaben',
    restore: 'Entwurf übernehmen',
  },
  en: {
    review: 'Next: check your answers',
    send: 'Send offer',
    check: 'Check your answers',
    thanks: 'Thank you for your offer',
    summary: 'Please check your answers',
    restore: 'Continue with the draft',
  },
};

/** Fills the form the way a person does: by label-linked ids, keyboard-typed text. */
export async function fillOffer(page: Page, overrides: Record<string, string> = {}) {
  const values: Record<string, string> = {
    name: 'Erika Mustermann',
    email: 'erika@example.org',
    phone: '0221 123456',
    street: 'Kalker Hauptstraße',
    houseNumber: '12a',
    postalCode: '51103',
    rooms: '2,5',
    livingSpace: '62',
    availableFrom: '2099-03-01',
    maxOccupants: '3',
    coldRent: '650',
    serviceCharges: '180',
    heatingCosts: '90',
    deposit: '1950',
    ...overrides,
  };
  await page.check('#landlordType');
  for (const [id, value] of Object.entries(values)) await page.fill(`#${id}`, value);
  await page.selectOption('#stadtteil', 'Kalk');
  await page.selectOption('#floor', '2');
  await page.check('#wbs-no');
  await page.check('#privacyConsent');
}
