import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumFlags, chromiumPath } from './paths.ts';
import { median, spread, type Spread } from './stats.ts';

/**
 * Lighthouse with its default configuration (mobile: Moto G Power emulation, simulated slow 4G
 * and 4× CPU slowdown), four categories, on each page template in both languages. Several runs
 * per page; the report shows medians and the spread of the performance score.
 */

export const lighthouseCategories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

export interface LighthouseRun {
  scores: Record<(typeof lighthouseCategories)[number], number>;
  lcpMs: number;
  cls: number;
  tbtMs: number;
  fcpMs: number;
  transferBytes: number;
  /** Weighted audits that did not score 1: what stands between this page and 100. */
  shortfalls: string[];
  /** The largest layout shifts: element, shift score and Lighthouse's guess at the cause. */
  layoutShifts: string[];
  warnings: string[];
}

export interface LighthousePage {
  path: string;
  runs: LighthouseRun[];
  errors: string[];
  performance: Spread;
  accessibility: number;
  bestPractices: number;
  seo: number;
  lcpMs: number;
  cls: number;
  tbtMs: number;
  fcpMs: number;
  transferBytes: number;
  shortfalls: string[];
  layoutShifts: string[];
}

/** The rows of the layout-shifts audit as far as the report needs them. */
interface ShiftItem {
  score?: number;
  node?: { selector?: string; nodeLabel?: string };
  subItems?: { items?: Array<{ cause?: string; extra?: { url?: string; selector?: string } }> };
}

function describeShifts(details: unknown): string[] {
  const items = ((details as { items?: ShiftItem[] } | undefined)?.items ?? []).slice(0, 3);
  return items.map((item) => {
    const where = item.node?.selector ?? item.node?.nodeLabel ?? 'unknown element';
    const causes = (item.subItems?.items ?? []).map(
      (c) => `${c.cause ?? 'cause'}${c.extra?.url ? ` ${c.extra.url.replace(/^https?:\/\/[^/]+/, '')}` : ''}`,
    );
    return `${where} ${(item.score ?? 0).toFixed(3)}${causes.length ? ` (${causes.join('; ')})` : ''}`;
  });
}

export async function measureLighthouse(
  baseUrl: string,
  paths: string[],
  runs: number,
  progress: (line: string) => void,
): Promise<LighthousePage[]> {
  const chrome = await launch({ chromePath: chromiumPath, chromeFlags: chromiumFlags });
  const pages: LighthousePage[] = [];
  try {
    for (const path of paths) {
      const done: LighthouseRun[] = [];
      const errors: string[] = [];
      // A run that fails (Lighthouse's occasional NO_NAVSTART) is retried, at most twice per page.
      for (let attempt = 0; done.length < runs && attempt < runs + 2; attempt++) {
        try {
          const result = await lighthouse(`${baseUrl}${path}`, {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: [...lighthouseCategories],
          });
          if (!result) throw new Error('lighthouse returned nothing');
          const lhr = result.lhr;
          if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
          const score = (id: string) => Math.round((lhr.categories[id]?.score ?? Number.NaN) * 100);
          const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
          const shortfalls: string[] = [];
          for (const cat of Object.values(lhr.categories)) {
            for (const ref of cat.auditRefs) {
              const a = lhr.audits[ref.id];
              if (ref.weight > 0 && a && a.score !== null && a.score < 1)
                shortfalls.push(
                  `${cat.id}/${ref.id} ${a.score.toFixed(2)}${a.displayValue ? ` (${a.displayValue})` : ''}`,
                );
            }
          }
          done.push({
            scores: {
              performance: score('performance'),
              accessibility: score('accessibility'),
              'best-practices': score('best-practices'),
              seo: score('seo'),
            },
            lcpMs: audit('largest-contentful-paint'),
            cls: audit('cumulative-layout-shift'),
            tbtMs: audit('total-blocking-time'),
            fcpMs: audit('first-contentful-paint'),
            transferBytes: audit('total-byte-weight'),
            shortfalls,
            layoutShifts: describeShifts(lhr.audits['layout-shifts']?.details),
            warnings: lhr.runWarnings.map(String),
          });
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
      const pick = (f: (r: LighthouseRun) => number) => median(done.map(f));
      const page: LighthousePage = {
        path,
        runs: done,
        errors,
        performance: spread(done.map((r) => r.scores.performance)),
        accessibility: pick((r) => r.scores.accessibility),
        bestPractices: pick((r) => r.scores['best-practices']),
        seo: pick((r) => r.scores.seo),
        lcpMs: pick((r) => r.lcpMs),
        cls: pick((r) => r.cls),
        tbtMs: pick((r) => r.tbtMs),
        fcpMs: pick((r) => r.fcpMs),
        transferBytes: pick((r) => r.transferBytes),
        layoutShifts: done.at(-1)?.layoutShifts ?? [],
        // Every shortfall seen in any run, once, with the latest value and how often it was seen.
        shortfalls: (() => {
          const byId = new Map<string, { text: string; count: number }>();
          for (const r of done)
            for (const s of r.shortfalls) {
              const id = s.split(' ')[0]!;
              byId.set(id, { text: s, count: (byId.get(id)?.count ?? 0) + 1 });
            }
          return [...byId.values()].map((v) =>
            done.length > 1 ? `${v.text} [${v.count}/${done.length} runs]` : v.text,
          );
        })(),
      };
      pages.push(page);
      progress(
        `lighthouse ${path}: ${done.length ? `${page.performance.median}/${page.accessibility}/${page.bestPractices}/${page.seo}` : 'failed'}${errors.length ? ` (${errors.length} run(s) failed)` : ''}`,
      );
    }
  } finally {
    chrome.kill();
  }
  return pages;
}
