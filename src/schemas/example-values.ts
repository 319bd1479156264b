/**
 * Contact data that the project does not know ships as visibly marked example values. This is
 * the one rule that recognises them, used by the build report and the tests.
 */
const markers = [/\bexample\.(org|com|net)\b/i, /Musterstra(ß|ss)e/i, /\bBeispielwert\b/i, /\bExample value\b/i, /X{3,}/];

export function isExampleValue(value: unknown): boolean {
  return typeof value === 'string' && markers.some((marker) => marker.test(value));
}

/** Every example value inside a parsed YAML/JSON value, as `path: value` pairs. */
export function findExampleValues(value: unknown, path = ''): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return isExampleValue(value) ? [{ path, value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findExampleValues(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findExampleValues(item, path ? `${path}.${key}` : key));
  }
  return [];
}
