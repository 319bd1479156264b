import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startTestPortal } from './portal.ts';

/**
 * Chromium and a fresh portal for one describe block: started before its tests, closed after.
 * Read `env.browser` and `env.portal` inside the tests.
 */
export function useBrowserAndPortal() {
  const env = {} as { browser: Browser; portal: Awaited<ReturnType<typeof startTestPortal>> };
  beforeAll(async () => {
    env.portal = await startTestPortal();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.portal?.close();
  });
  return env;
}
