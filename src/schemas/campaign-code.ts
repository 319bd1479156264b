/**
 * Campaign codes as they arrive in an address (`/angebot/?via=<code>`) and in an offer (the field
 * `campaign`). No zod here: the offer form's island imports this file, and it must stay small.
 * Which codes exist is the coordination office's list (`content/campaigns.yaml`); the server reads
 * it and hands the codes to whoever checks one. The labels never travel to the browser.
 */

/** 2–40 lowercase letters, digits and hyphens: short, typed from paper, safe in a URL. */
export const campaignCodePattern = /^[a-z0-9-]{2,40}$/;

/**
 * The code as the coordination office wrote it, or undefined. People type addresses from paper,
 * so case and surrounding spaces do not matter. With `known`, a code that is not on the list is
 * undefined too: an unknown code is dropped, never kept as free text.
 */
export function campaignOf(value: unknown, known?: readonly string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toLowerCase();
  if (!campaignCodePattern.test(code)) return undefined;
  return known === undefined || known.includes(code) ? code : undefined;
}
