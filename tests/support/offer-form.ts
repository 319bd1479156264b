import { expect } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { viewports } from './browser.ts';

/** The offer form in Chromium: its addresses, its buttons' words, filling it in, checking it with axe. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
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

export async function expectNoAxeViolations(page: Page, state: string, withoutJs = false) {
  let target = page;
  // axe runs as a script; a page without JavaScript gets its exact HTML checked in a twin page
  // that allows scripts (the server's answers contain no island that could change it).
  if (withoutJs) {
    const twinContext = await page
      .context()
      .browser()!
      .newContext({ ...viewports.phone });
    target = await twinContext.newPage();
    await target.goto(new URL('/404.html', page.url()).href);
    await target.setContent(await page.content(), { waitUntil: 'load' });
  }
  const { violations } = await new AxeBuilder({ page: target }).withTags(wcagTags).analyze();
  if (target !== page) await target.context().close();
  expect(violations.map((v) => `${state}: ${v.id} ${v.help}`)).toEqual([]);
}
