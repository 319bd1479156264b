import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOrCreateSecret } from '../functions/lifecycle/secret.ts';
import { applyMigrations, buildForCloudflare, builtConfig, root, startWorker } from './cloudflare-local.ts';

/**
 * `npm run preview:cloudflare`: builds the portal for Cloudflare and serves it from workerd
 * (`wrangler dev`, no Cloudflare account, no network) on PORT (8787 by default), with a local D1
 * in .wrangler/state that keeps its offers between previews. The Cron Trigger runs every minute,
 * as on Cloudflare. `-- --no-build` serves the last build. Secrets and settings for the preview go
 * in .dev.vars (KEY=value lines, next to wrangler.jsonc; never commit it), e.g.
 * SENDGRID_API_KEY and SENDGRID_API_URL of a test server. Without SENDGRID_API_KEY the mails wait
 * in the queue (and are retried), as on Cloudflare without the secret.
 */
const port = Number(process.env.PORT ?? 8787);
const persistTo = join(root, '.wrangler', 'state');

if (!process.argv.includes('--no-build')) {
  console.log('Building for Cloudflare (dist-cloudflare/) …');
  console.log(`Built in ${(await buildForCloudflare()).toFixed(1)} s.`);
}
console.log('Applying the D1 migrations to the local database …');
await applyMigrations(persistTo, builtConfig());

// The Worker requires LINK_SECRET (the action links in mails). On Cloudflare it is a secret; for
// the preview, LINK_SECRET from the environment or .dev.vars, else one made once and kept beside
// the local D1, so that links in mails of earlier previews keep working.
const devVars = join(root, '.dev.vars');
const inDevVars = existsSync(devVars) && /^LINK_SECRET=/m.test(readFileSync(devVars, 'utf8'));
const vars: Record<string, string> = {};
if (process.env.LINK_SECRET) vars.LINK_SECRET = process.env.LINK_SECRET;
else if (!inDevVars) vars.LINK_SECRET = readOrCreateSecret(persistTo, 'link-secret');

const worker = await startWorker({ port, persistTo, vars, inherit: true });
console.log(
  `\nThe portal runs in workerd at ${worker.url}/ (stop with Ctrl+C). Offers are stored in the local D1 under ${persistTo}.\n` +
    `The Cron Trigger (delivery, daily maintenance) runs every minute; by hand: ${worker.url}/cdn-cgi/local/scheduled`,
);

// Cloudflare runs the trigger on its schedule; wrangler dev does not, so the preview does.
const cron = setInterval(() => {
  worker.cron().then(
    (response) => void response.body?.cancel(),
    (error: unknown) => console.error(`cron run failed: ${String(error)}`),
  );
}, 60_000);

const stop = () => {
  clearInterval(cron);
  void worker.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
