import { existsSync } from 'node:fs';

/** Where Debian (and most Linux distributions) put Chromium; CHROMIUM_PATH overrides. */
const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
export const chromiumPath = candidates.find((p): p is string => Boolean(p && existsSync(p)));

/** Headless Chromium as this machine allows it: no sandbox (root), no calls home. */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
