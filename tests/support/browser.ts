import { chromium, type Browser } from 'playwright-core';
import { chromiumFlags, chromiumPath } from './chromium.ts';

export { chromiumPath };

/**
 * Without a browser the browser tests cannot run. Locally that is a loud warning (the rest of the
 * suite still tells you something); under CI=true it is a failure, because a green CI must mean
 * the pages were really checked in a browser.
 */
export const browserMissing = !chromiumPath;
if (browserMissing) {
  const message = [
    '',
    '  ┌──────────────────────────────────────────────────────────────────────┐',
    '  │ NO CHROMIUM FOUND: the browser tests (journeys, axe, page weight)    │',
    '  │ are NOT run. Install it with:  sudo apt-get install chromium         │',
    '  │ or point CHROMIUM_PATH at a Chromium/Chrome binary.                  │',
    '  └──────────────────────────────────────────────────────────────────────┘',
    '',
  ].join('\n');
  if (process.env.CI === 'true') throw new Error(`CI=true and no Chromium: browser tests cannot run.${message}`);
  console.warn(message);
}

/** Headless Chromium with the flags this machine needs (tests/support/chromium.ts). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
}

export const viewports = {
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  desktop: { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
} as const;
