/**
 * Contact data that the project does not know ships as visibly marked example values. This is
 * the one rule that recognises them, used by the build report and the badge on the page.
 */
const markers = [
  /\bexample\.(org|com|net)\b/i,
  /Musterstra(ß|ss)e/i,
  /\bBeispielwert\b/i,
  /\bExample value\b/i,
  // Example entries of lists (content/campaigns.yaml) start their label with "Beispiel:"; the
  // anchor keeps prose such as "zum Beispiel: …" from counting.
  /(^|:\s*['"]?)Beispiel:/,
  /X{3,}/,
];

export function isExampleValue(value: unknown): boolean {
  return typeof value === 'string' && markers.some((marker) => marker.test(value));
}
