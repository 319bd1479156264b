import { handle } from '@astrojs/cloudflare/handler';
import { positiveSetting, scheduledRun, stringEnv } from '../serverless/services.ts';
import type { CloudflareEnv, ExecutionContext, ScheduledController } from './env.ts';
import { cloudflareServices } from './services.ts';

/**
 * The Worker (wrangler.jsonc "main"): requests go to Astro's handler (static files come from the
 * assets binding before the Worker runs; on-demand routes get the portal through src/middleware.ts),
 * and the Cron Trigger runs the delivery that a long-running worker does on Node.
 */
export default {
  fetch: (request: Request, env: CloudflareEnv, context: ExecutionContext) =>
    handle(request, env as never, context as never),

  async scheduled(controller: ScheduledController, env: CloudflareEnv): Promise<void> {
    const { services } = cloudflareServices(env);
    const settings = stringEnv(env);
    // What `npm run deliver` does: the offers' schedule, the delivery, the maintenance. Awaited,
    // not handed to waitUntil: the run is the invocation, and its end is the answer to
    // /cdn-cgi/local/scheduled in local tests.
    await scheduledRun(services, {
      // Free plan: 50 outgoing requests per invocation; a job is one, D1 calls come on top.
      maxJobs: positiveSetting(settings, 'DELIVERY_MAX_PER_RUN', 24),
      budgetMs: positiveSetting(settings, 'DELIVERY_RUN_BUDGET_MS', 60_000),
    });
    services.log('cron.done', { cron: controller.cron });
  },
};
