// Screenshots of built pages for a human look: node scripts/screenshot.ts [path ...]
// Writes test-results/screens/<viewport>-<path>.png. Serves dist/ with the project's server.
import { mkdirSync } from 'node:fs';
import { launchBrowser, viewports } from '../tests/support/browser.ts';
import { startTestPortal } from '../tests/support/portal.ts';

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ['/', '/vermieten/'];
const out = 'test-results/screens';
mkdirSync(out, { recursive: true });
const portal = await startTestPortal();
const browser = await launchBrowser();
for (const [name, viewport] of Object.entries(viewports)) {
  const context = await browser.newContext({ ...viewport });
  const page = await context.newPage();
  for (const path of paths) {
    await page.goto(`${portal.url}${path}`);
    const file = `${out}/${name}-${path.replace(/\W+/g, '_') || 'home'}.png`;
    await page.screenshot({ path: file, fullPage: process.env.FULL !== '0' });
    console.log(file);
  }
  await context.close();
}
await browser.close();
await portal.close();
