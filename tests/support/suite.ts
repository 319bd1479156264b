import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startTestPortal } from './portal.ts';
import type { ServerConfig } from '../../functions/config.ts';

/**
 * Chromium and a fresh portal for one describe block: started before its tests, closed after.
 * Read `env.browser` and `env.portal` inside the tests. `configure` runs first and may change
 * the portal's configuration (files with other settings, a webhook receiver's address).
 */
export function useBrowserAndPortal(
  configure: () => Partial<ServerConfig> | Promise<Partial<ServerConfig>> = () => ({}),
) {
  const env = {} as { browser: Browser; portal: Awaited<ReturnType<typeof startTestPortal>> };
  beforeAll(async () => {
    env.portal = await startTestPortal(await configure());
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.portal?.close();
  });
  return env;
}
