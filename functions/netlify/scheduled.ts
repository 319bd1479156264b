import { positiveSetting, scheduledRun } from '../serverless/services.ts';
import { netlifyServices } from './services.ts';

/**
 * The Scheduled Function (built by src/integrations/netlify-scheduled.ts, every minute): what
 * `npm run deliver` does from a cron job on a server, and what the worker inside `npm start`
 * does: the offers' scheduled steps, the delivery of what is due, the maintenance. Netlify gives a
 * scheduled function 30 seconds; no new batch starts after DELIVERY_RUN_BUDGET_MS, and what is
 * left waits for the next minute. A run cut off mid-batch loses its lease; the next run takes the
 * jobs over.
 */
export default async function deliver(): Promise<Response> {
  const { services } = await netlifyServices();
  const result = await scheduledRun(services, {
    maxJobs: positiveSetting(process.env, 'DELIVERY_MAX_PER_RUN', 200),
    budgetMs: positiveSetting(process.env, 'DELIVERY_RUN_BUDGET_MS', 15_000),
  });
  // Netlify ignores the answer of a scheduled function; it is the run's summary for a local call.
  return Response.json(result);
}
