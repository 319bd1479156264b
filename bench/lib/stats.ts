/** Small statistics and formatting helpers shared by the benchmark steps. */

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function fixed(n: number | undefined, digits = 1): string {
  if (n === undefined || !Number.isFinite(n)) return 'n/a';
  return n.toFixed(digits);
}

export function kb(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : (bytes / 1024).toFixed(1);
}

export function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : (bytes / 1024 / 1024).toFixed(1);
}

/** "median (min–max)" for repeated runs, or the single value when there was one run. */
export function showSpread(s: Spread | undefined, digits = 1, unit = ''): string {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  if (s.runs <= 1 || s.min === s.max) return `${fixed(s.median, digits)}${unit}`;
  return `${fixed(s.median, digits)}${unit} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
}

export function int(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return 'n/a';
  return Math.round(n).toLocaleString('en-US');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
