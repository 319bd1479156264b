/**
 * `npm run bench`: build times, page weight, Lighthouse, the offer handler under load and a surge
 * drill, in one run, on this machine. Prints every figure, writes bench/results/latest.json and
 * bench/results/latest.md. Timings never fail the run: it exits 0 unless a step crashed.
 * BENCH_QUICK=1 is a smoke run of 1–2 minutes. bench/README.md explains every figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startPortal } from '../functions/server.ts';
import { loadConfig } from '../functions/config.ts';
import { options, offerPages, quick } from './lib/options.ts';
import { chromiumPath, removeTempDirs, resultsDir, root, tempDir } from './lib/paths.ts';
import { describeMachine, type Machine } from './lib/machine.ts';
import { measureBuild, type BuildResult } from './lib/build.ts';
import { categories, measureWeight, type WeightResult } from './lib/weight.ts';
import { measureLighthouse, type LighthousePage } from './lib/lighthouse.ts';
import { measureCommitRate, type CommitRateResult } from './lib/commit-rate.ts';
import { runAutocannon, runPaced, withServerCpu, type LoadLevel } from './lib/load.ts';
import { startServerChild } from './lib/processes.ts';
import { surgeDrill, surgeRate, type SurgeResult } from './lib/surge.ts';
import { memoryDrill, type MemoryResult } from './lib/memory.ts';
import { fixed, int, kb, mib, showSpread, sleep } from './lib/stats.ts';
import { markdownSection, printSection, section, type Section } from './lib/report.ts';

/** Budgets and goals, as the tests and the brief state them. */
const goals = {
  coldBuildSeconds: 30, // scripts/build.mjs: "under 30 s on the 2-core reference machine"
  pageBytes: 100 * 1024, // tests/browser/site.test.ts: first visit without scripts
  offerScriptBytes: 100 * 1024, // tests/browser/site.test.ts: the offer island
  lighthouse: 100,
  handlerShareOfCommits: 0.5,
  p99At50Ms: 50,
  memoryGrowth: 0.15, // issue 8, item 14: RSS after the 3rd surge (drain) within 15 % of after the 1st
};

const runStarted = performance.now();
const elapsed = () => {
  const s = Math.round((performance.now() - runStarted) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const progress = (line: string) => console.log(`  [${elapsed()}] ${line}`);

interface LoadResult {
  commitRate: CommitRateResult;
  levels: LoadLevel[];
  saturation: LoadLevel;
  shareOfCommits: number;
  /** 2xx answers of all levels and of the warm-up. */
  acceptedTotal: number;
  warmupAccepted: number;
  rowsInOffers: number;
  /** Posts a timed autocannon run can leave in flight when it stops (stored, answer not read). */
  inFlightLimit: number;
}

const results: {
  machine?: Machine;
  options: typeof options;
  build?: BuildResult;
  weight?: WeightResult;
  lighthouse?: LighthousePage[];
  load?: LoadResult;
  surge?: SurgeResult;
  memory?: MemoryResult;
  goals?: Array<{ goal: string; target: string; measured: string; verdict: string }>;
  stepSeconds: Record<string, number>;
  crashed: Array<{ step: string; error: string }>;
} = { options, stepSeconds: {}, crashed: [] };

async function step<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  progress(`${name}…`);
  const started = performance.now();
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results.crashed.push({ step: name, error: message });
    console.error(`\n  ✗ ${name} crashed:\n${message}\n`);
    return undefined;
  } finally {
    results.stepSeconds[name] = Math.round((performance.now() - started) / 100) / 10;
  }
}

console.log(`npm run bench${options.quick ? ' (BENCH_QUICK: smoke run, fewer repetitions)' : ''}`);
const machine = describeMachine(chromiumPath);
results.machine = machine;

// 1. Build: cold (no dist, no caches) and warm, alternating.
results.build = await step('build', () => measureBuild(options.buildRuns, progress));

if (results.build) {
  // 2 + 3. Page weight and Lighthouse against the portal in this process (no offers posted).
  await step('page weight and lighthouse', async () => {
    const portal = await startPortal({
      ...loadConfig({ RATE_LIMIT: 'off', DELIVERY_WORKER: 'off' }),
      port: 0,
      dataDir: tempDir('site'),
    });
    try {
      results.weight = await step('page weight', () =>
        measureWeight(portal.url, { pageBytes: goals.pageBytes, offerScriptBytes: goals.offerScriptBytes }),
      );
      results.lighthouse = await step('lighthouse', () =>
        measureLighthouse(portal.url, options.lighthousePages, options.lighthouseRuns, progress),
      );
    } finally {
      await portal.close();
    }
  });

  // 4. The handler under load, beside the machine's durable-commit rate.
  results.load = await step('handler under load', async () => {
    const dataDir = tempDir('load');
    const commitRate = measureCommitRate(tempDir('commits'), dataDir, options.commitRuns, options.commitSeconds);
    progress(`durable commits: ${showSpread(commitRate.perSecond, 0)} per second`);
    // The portal in its own process (as `npm run serve`), so that the load generator here does
    // not share its event loop; its log lines go to a file.
    const server = await startServerChild(dataDir);
    const levels: LoadLevel[] = [];
    let saturation: LoadLevel;
    let warmupAccepted = 0;
    try {
      // Warm-up, not reported: the first posts to a fresh process compile the code paths (JIT,
      // schemas) and open connections; a running portal has done that long ago.
      warmupAccepted = (await runPaced(server.url, 'warm-up', 100, quick ? 1 : 3)).accepted;
      for (const rate of options.loadRates) {
        const ac = await withServerCpu(server.pid, () =>
          runAutocannon(server.url, `${rate}/s`, {
            connections: options.loadConnections,
            seconds: options.loadSeconds,
            overallRate: rate,
          }),
        );
        levels.push(ac.level);
        progress(`autocannon ${rate}/s: p99 ${fixed(ac.level.p99Ms)} ms, ${ac.level.accepted} accepted`);
        await sleep(500);
        const paced = await withServerCpu(server.pid, () =>
          runPaced(server.url, `${rate}/s`, rate, options.loadSeconds),
        );
        levels.push(paced);
        progress(`paced ${rate}/s: p99 ${fixed(paced.p99Ms)} ms, ${paced.accepted} accepted`);
        await sleep(500);
      }
      saturation = (
        await withServerCpu(server.pid, () =>
          runAutocannon(server.url, 'saturation', {
            connections: options.loadConnections,
            seconds: options.loadSeconds,
          }),
        )
      ).level;
      levels.push(saturation);
      progress(`saturation: ${fixed(saturation.acceptedPerSecond, 0)} accepted/s`);
    } finally {
      await server.stop();
    }
    const db = new DatabaseSync(join(dataDir, 'offers.sqlite'), { readOnly: true });
    const rowsInOffers = Number((db.prepare('SELECT count(*) AS n FROM offers').get() as { n: number }).n);
    db.close();
    return {
      commitRate,
      levels,
      saturation,
      shareOfCommits: saturation.acceptedPerSecond / commitRate.perSecond.median,
      acceptedTotal: warmupAccepted + levels.reduce((a, l) => a + l.accepted, 0),
      warmupAccepted,
      rowsInOffers,
      inFlightLimit: options.loadConnections * levels.filter((l) => l.generator === 'autocannon').length,
    };
  });

  // 5. Surge drill and drain.
  results.surge = await step('surge drill', () =>
    surgeDrill(
      {
        offers: options.surgeOffers,
        seconds: options.surgeSeconds,
        rate: surgeRate(options.surgeOffers, options.surgeSeconds, options.loadConnections),
        connections: options.loadConnections,
        drainTimeoutSeconds: options.drainTimeoutSeconds,
      },
      progress,
    ),
  );

  // 6. Memory: surges in a row against one server, each followed by a drain.
  results.memory = await step('memory', () =>
    memoryDrill(
      {
        offers: options.memoryOffers,
        surges: options.memorySurges,
        rate: surgeRate(options.surgeOffers, options.surgeSeconds, options.loadConnections),
        connections: options.loadConnections,
        settleSeconds: options.memorySettleSeconds,
        drainTimeoutSeconds: options.drainTimeoutSeconds,
        limit: goals.memoryGrowth,
      },
      progress,
    ),
  );
} else {
  console.error('  The build failed: nothing else can be measured.');
}

// ── Report ──────────────────────────────────────────────────────────────────────────────────
const sections: Section[] = [];
const m = machine;
{
  const s = section('Machine');
  s.tables.push({
    headers: ['item', 'value'],
    leftColumns: [0, 1],
    rows: [
      ['date', m.date],
      ['commit', m.commit],
      ['CPU', `${m.cpuModel}, ${m.cores} cores`],
      ['RAM', `${m.ramGiB} GiB`],
      ['Node', m.node],
      ['OS', m.os],
      ['Chromium', m.chromium],
      ['tools', `lighthouse ${m.lighthouse}, autocannon ${m.autocannon}`],
      ['mode', options.quick ? 'BENCH_QUICK=1 (smoke run)' : 'full'],
    ],
  });
  sections.push(s);
}

const b = results.build;
{
  const s = section('1. Build');
  if (b) {
    s.tables.push({
      headers: ['build', 'median s', 'min s', 'max s', 'runs'],
      rows: [
        [
          'cold (no dist/, no .astro/ caches)',
          fixed(b.cold.median),
          fixed(b.cold.min),
          fixed(b.cold.max),
          String(b.cold.runs),
        ],
        ['warm (caches in place)', fixed(b.warm.median), fixed(b.warm.min), fixed(b.warm.max), String(b.warm.runs)],
      ],
    });
    s.notes.push(
      `pages: ${b.pages} (${b.indexPages} index.html + ${b.notFoundPages} 404 pages); Astro says "${b.astroSays}"; dist/ ${mib(b.distBytes)} MiB including .br/.gz`,
    );
  } else s.notes.push('not measured (crashed)');
  sections.push(s);
}

const w = results.weight;
{
  const s = section('2. Page weight, first visit (KB, brotli / raw)');
  if (w) {
    const cell = (br: number, raw: number) => (raw === 0 ? '0' : `${kb(br)} / ${kb(raw)}`);
    s.tables.push({
      headers: ['page', 'req', 'HTML', 'CSS', 'JS', 'fonts', 'images', 'other', 'total', 'wire'],
      rows: w.pages.map((p) => [
        p.path,
        String(p.requests),
        ...categories.map((c) => cell(p.br[c], p.raw[c])),
        cell(p.br.total, p.raw.total),
        kb(p.wire.total),
      ]),
    });
    const encodings = [...new Set(w.pages.flatMap((p) => p.chromiumEncodings))].join(', ');
    const jsElsewhere = w.pages.filter((p) => !offerPages.has(p.path) && p.raw.js + p.wire.js > 0);
    s.notes.push(
      `${w.pages.length} sitemap pages. "wire" is Chromium's count (encoded bodies + headers, content-encoding it got for HTML/CSS/JS: ${encodings || 'n/a'}).`,
    );
    s.notes.push(
      `JavaScript outside /angebot/ and /en/offer/: ${jsElsewhere.length === 0 ? '0 bytes on every page' : jsElsewhere.map((p) => `${p.path} ${kb(p.raw.js)} KB`).join(', ')}`,
    );
    for (const p of w.problems) s.notes.push(`problem: ${p}`);
  } else s.notes.push('not measured (crashed or skipped)');
  sections.push(s);
}

const lh = results.lighthouse;
{
  const s = section(`3. Lighthouse (mobile, default config, median of ${options.lighthouseRuns})`);
  if (lh) {
    s.tables.push({
      headers: ['page', 'perf', 'a11y', 'best pr.', 'SEO', 'LCP ms', 'CLS', 'TBT ms', 'transfer KB'],
      rows: lh.map((p) => [
        p.path,
        p.runs.length ? showSpread(p.performance, 0) : 'failed',
        fixed(p.accessibility, 0),
        fixed(p.bestPractices, 0),
        fixed(p.seo, 0),
        fixed(p.lcpMs, 0),
        fixed(p.cls, 3),
        fixed(p.tbtMs, 0),
        kb(p.transferBytes),
      ]),
    });
    for (const p of lh) {
      if (p.shortfalls.length) s.notes.push(`${p.path} below 1: ${p.shortfalls.join('; ')}`);
      if (p.cls >= 0.01 && p.layoutShifts.length)
        s.notes.push(`${p.path} largest layout shifts (last run): ${p.layoutShifts.join('; ')}`);
      for (const e of p.errors)
        s.notes.push(`${p.path} failed attempt${p.runs.length === options.lighthouseRuns ? ' (retried)' : ''}: ${e}`);
    }
    if (lh.every((p) => p.shortfalls.length === 0 && p.errors.length === 0))
      s.notes.push('every weighted audit scored 1 on every page');
  } else s.notes.push('not measured (crashed or skipped)');
  sections.push(s);
}

const load = results.load;
{
  const s = section('4. Offer handler under load (POST /api/offers, a new offer per request)');
  if (load) {
    const c = load.commitRate;
    s.tables.push({
      headers: [
        'load',
        'generator',
        'conns',
        'seconds',
        'accepted',
        'accepted/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'non-2xx',
        'errors',
        'server CPU',
        'CPU ms/offer',
      ],
      leftColumns: [0, 1],
      rows: load.levels.map((l) => [
        l.name,
        l.generator,
        l.connections === undefined ? '–' : String(l.connections),
        fixed(l.seconds),
        int(l.accepted),
        fixed(l.acceptedPerSecond),
        fixed(l.p50Ms),
        fixed(l.p99Ms),
        fixed(l.maxMs),
        int(l.non2xx),
        int(l.errors),
        `${fixed(l.serverCpuPercent, 0)} %`,
        fixed(l.serverCpuMsPerOffer, 2),
      ]),
    });
    s.tables.push({
      headers: ['machine limit', 'value'],
      leftColumns: [0],
      rows: [
        ['durable single-row commits/s, median (min–max)', showSpread(c.perSecond, 0)],
        ['one commit p50 / p99 / max ms', `${fixed(c.p50Ms, 2)} / ${fixed(c.p99Ms, 2)} / ${fixed(c.maxMs, 2)}`],
        ['handler saturation ÷ durable commits', `${fixed(load.shareOfCommits * 100)} %`],
      ],
    });
    s.notes.push(
      `durable commits: node:sqlite, WAL, synchronous=FULL, one INSERT of a ${c.rowBytes}-byte row per transaction, ${c.runs.length} × ${options.commitSeconds} s, on ${c.fileSystem}${c.sameFileSystemAsDataDir ? " (same file system as the portal's DATA_DIR)" : ' (NOT the same file system as DATA_DIR!)'}`,
    );
    s.notes.push(
      'autocannon at a fixed rate sends each second\'s requests in a burst at the start of the second (per connection, back-to-back); "paced" sends them evenly spaced (open loop)',
    );
    const paced = load.levels.filter((l) => l.generator === 'paced');
    if (paced.length)
      s.notes.push(
        `paced generator schedule lag p99: ${paced.map((l) => `${l.name} ${fixed(l.scheduleLagP99Ms, 1)} ms`).join(', ')}`,
      );
    s.notes.push(
      `offers rows after the load: ${int(load.rowsInOffers)}, 2xx answers: ${int(load.acceptedTotal)} (${int(load.warmupAccepted)} of them in the unreported warm-up)` +
        (load.rowsInOffers < load.acceptedTotal
          ? ' (FEWER ROWS THAN 2xx ANSWERS: accepted offers are missing)'
          : `; the ${int(load.rowsInOffers - load.acceptedTotal)} extra rows are posts still in flight when autocannon stopped a timed run (at most ${load.inFlightLimit}: ${options.loadConnections} connections × ${load.levels.filter((l) => l.generator === 'autocannon').length} runs)`),
    );
    for (const l of load.levels) {
      const odd = Object.entries(l.statusCodes).filter(([code]) => !code.startsWith('2'));
      if (odd.length)
        s.notes.push(`${l.name} ${l.generator}: status codes ${odd.map(([code, n]) => `${code}×${n}`).join(', ')}`);
    }
  } else s.notes.push('not measured (crashed or skipped)');
  sections.push(s);
}

const su = results.surge;
{
  const rate = surgeRate(options.surgeOffers, options.surgeSeconds, options.loadConnections);
  const s = section(
    `5. Surge drill (${int(options.surgeOffers)} offers within ${options.surgeSeconds} s: ${rate}/s over ${options.loadConnections} connections, against node functions/server.ts)`,
  );
  if (su) {
    s.tables.push({
      headers: ['figure', 'value'],
      leftColumns: [0],
      rows: [
        ['time to accept all (first request → last 2xx)', `${fixed(su.acceptSeconds)} s`],
        ['accepted (2xx answers)', int(su.load.accepted)],
        ['rows in offers table afterwards', `${int(su.rowsInOffers)} (${int(su.rowsReceived)} received)`],
        [
          'failures (non-2xx + errors)',
          `${int(su.failures)} (${int(su.load.non2xx)} non-2xx, ${int(su.load.errors)} errors, ${int(su.load.timeouts)} timeouts)`,
        ],
        ['latency p50 / p99 / max', `${fixed(su.load.p50Ms)} / ${fixed(su.load.p99Ms)} / ${fixed(su.load.maxMs)} ms`],
        [
          'server CPU during the surge',
          `${fixed(su.load.serverCpuPercent, 0)} % of one core, ${fixed(su.load.serverCpuMsPerOffer, 2)} ms per offer`,
        ],
        [
          'server RSS at start → peak (VmHWM)',
          `${mib(su.memory.startRssBytes)} → ${mib(su.memory.hwmBytes)} MiB (polled peak VmRSS ${mib(su.memory.peakRssBytes)} MiB)`,
        ],
        [
          'delivery jobs waiting',
          Object.entries(su.jobs)
            .map(([k, v]) => `${k} ${int(v)}`)
            .join(', ') || '0',
        ],
      ],
    });
    const d = su.drain;
    if (d.measured) {
      s.tables.push({
        headers: ['drain (node functions/deliver.ts → local SMTP)', 'value'],
        leftColumns: [0],
        rows: [
          ['time to drain (start → exit)', `${fixed(d.seconds)} s${d.completed ? '' : ' (NOT completed)'}`],
          ['messages received', `${int(d.messages)} (${fixed(d.messagesPerSecond)} per second)`],
          [
            'delivery jobs after',
            Object.entries(d.jobsAfter ?? {})
              .map(([k, v]) => `${k} ${int(v)}`)
              .join(', '),
          ],
          ['worker peak RSS (VmHWM)', `${mib(d.memory?.hwmBytes)} MiB`],
          ['worker exit', d.exit ?? 'n/a'],
        ],
      });
      if (d.summary) s.notes.push(`worker said: ${d.summary.trim()}`);
    } else s.notes.push(`drain: not measured (${d.reason})`);
    s.notes.push(
      'the portal runs with RATE_LIMIT=off and DELIVERY_WORKER=off: the surge measures the intake alone, and the jobs wait for the drain',
    );
  } else s.notes.push('not measured (crashed or skipped)');
  sections.push(s);
}

/** 0.012 → "+1.2 %"; the growth figures of the memory step. */
const signedPercent = (g: number | undefined) =>
  g === undefined || !Number.isFinite(g) ? 'n/a' : `${g >= 0 ? '+' : ''}${fixed(g * 100)} %`;

const me = results.memory;
{
  const s = section(
    `6. Memory (${options.memorySurges} surges of ${int(options.memoryOffers)} offers in a row against one node functions/server.ts, and a drain of each; MiB)`,
  );
  if (me) {
    const gcUsed = (p: { afterGc?: { heapUsed: number } } | undefined) => mib(p?.afterGc?.heapUsed);
    s.tables.push({
      headers: [
        'server after',
        'accepted',
        'RSS',
        'peak RSS',
        'heap total',
        'heap used',
        'heap used after GC',
        'external',
        'array buffers',
      ],
      rows: [
        ['start (no offer yet)', '–', mib(me.serverStartRssBytes), '–', '–', '–', '–', '–', '–'],
        ...me.surges.map((x, i) => [
          `surge ${i + 1}`,
          int(x.accepted),
          mib(x.rssBytes),
          mib(x.hwmBytes),
          mib(x.probe?.before.heapTotal),
          mib(x.probe?.before.heapUsed),
          gcUsed(x.probe),
          mib(x.probe?.before.external),
          mib(x.probe?.before.arrayBuffers),
        ]),
      ],
    });
    if (me.drains.length)
      s.tables.push({
        headers: [
          'worker drain',
          'messages',
          'seconds',
          'RSS at ½',
          'RSS at end',
          'peak RSS',
          'heap total',
          'heap used after GC',
          'external',
        ],
        rows: me.drains.map((x, i) => [
          `drain ${i + 1}`,
          int(x.drain.messages),
          fixed(x.drain.seconds),
          mib(x.drain.rssAtHalfBytes),
          mib(x.probe?.before.rss),
          mib(x.drain.memory?.hwmBytes),
          mib(x.probe?.before.heapTotal),
          gcUsed(x.probe),
          mib(x.probe?.before.external),
        ]),
      });
    s.notes.push(
      `server RSS after surge ${me.surges.length} vs surge 1: ${signedPercent(me.serverGrowth)}` +
        (me.workerGrowth === undefined
          ? ''
          : `; worker RSS at the end of drain ${me.drains.length} vs drain 1: ${signedPercent(me.workerGrowth)}`) +
        ` (allowed: +${fixed(me.limit * 100, 0)} %)`,
    );
    s.notes.push(
      `RSS is read ${me.settleSeconds} s after a surge's last answer (the worker's at its exit), before anything else; then the probe (bench/lib/memory-probe.ts, --expose-gc) reads process.memoryUsage() and forces two full GCs: "heap used after GC" is what is alive. RSS minus heap total is native memory: the node binary's pages, malloc (SQLite, ICU, buffers) and V8 pages kept for reuse`,
    );
    s.notes.push(
      `offers arrive at ${me.rate}/s over ${me.connections} connections (the surge drill's rate), the surges one after the other (the server runs with RATE_LIMIT=off, DELIVERY_WORKER=off); each drain is its own node functions/deliver.ts, run after the surges on a copy of the database taken right after its surge, with that surge's jobs pending`,
    );
    const failures = me.surges.reduce((a, x) => a + x.failures, 0);
    if (failures) s.notes.push(`failures during the surges: ${int(failures)}`);
  } else s.notes.push('not measured (crashed or skipped)');
  sections.push(s);
}

// Goals: report, never fail.
{
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'met' : 'MISSED');
  const rows: Array<{ goal: string; target: string; measured: string; verdict: string }> = [];
  rows.push({
    goal: 'cold build',
    target: `< ${goals.coldBuildSeconds} s`,
    measured: b ? `${fixed(b.cold.median)} s` : 'n/a',
    verdict: verdict(b && b.cold.median < goals.coldBuildSeconds),
  });
  if (w) {
    const jsElsewhere = w.pages.filter((p) => !offerPages.has(p.path) && p.raw.js + p.wire.js > 0).length;
    rows.push({
      goal: 'JS outside the offer pages',
      target: '0 bytes',
      measured: `${jsElsewhere} of ${w.pages.length} pages load JS`,
      verdict: verdict(jsElsewhere === 0),
    });
    const heaviest = w.pages.reduce((a, p) => (p.wire.total - p.wire.js > a.wire.total - a.wire.js ? p : a));
    rows.push({
      goal: 'first visit without scripts (wire)',
      target: `≤ ${goals.pageBytes / 1024} KB`,
      measured: `max ${kb(heaviest.wire.total - heaviest.wire.js)} KB (${heaviest.path})`,
      verdict: verdict(heaviest.wire.total - heaviest.wire.js <= goals.pageBytes),
    });
    const js = Math.max(...w.pages.map((p) => p.wire.js));
    rows.push({
      goal: 'offer form scripts (wire)',
      target: `≤ ${goals.offerScriptBytes / 1024} KB`,
      measured: `${kb(js)} KB`,
      verdict: verdict(js <= goals.offerScriptBytes),
    });
  }
  if (lh) {
    const perfect = lh.filter(
      (p) =>
        p.runs.length && p.performance.min >= 100 && p.accessibility >= 100 && p.bestPractices >= 100 && p.seo >= 100,
    );
    const low = (f: (p: LighthousePage) => number) => Math.min(...lh.filter((p) => p.runs.length).map(f));
    rows.push({
      goal: 'Lighthouse 100/100/100/100',
      target: `${lh.length} templates`,
      measured: `${perfect.length} of ${lh.length} perfect in every run; lowest ${low((p) => p.performance.min)}/${low((p) => p.accessibility)}/${low((p) => p.bestPractices)}/${low((p) => p.seo)}`,
      verdict: verdict(perfect.length === lh.length),
    });
  }
  if (load) {
    rows.push({
      goal: 'handler saturation vs durable commits',
      target: `≥ ${goals.handlerShareOfCommits * 100} %`,
      measured: `${fixed(load.shareOfCommits * 100)} % (${fixed(load.saturation.acceptedPerSecond, 0)} of ${fixed(load.commitRate.perSecond.median, 0)}/s)`,
      verdict: verdict(load.shareOfCommits >= goals.handlerShareOfCommits),
    });
    for (const l of load.levels.filter((x) => x.targetRate === 50)) {
      rows.push({
        goal: `p99 at 50/s (${l.generator})`,
        target: `< ${goals.p99At50Ms} ms`,
        measured: `${fixed(l.p99Ms)} ms`,
        verdict: verdict(l.p99Ms < goals.p99At50Ms),
      });
    }
    rows.push({
      goal: 'every 2xx is a stored row (load)',
      target: 'rows ≥ 2xx',
      measured: `${int(load.rowsInOffers)} rows / ${int(load.acceptedTotal)} 2xx`,
      verdict: verdict(
        load.rowsInOffers >= load.acceptedTotal && load.rowsInOffers - load.acceptedTotal <= load.inFlightLimit,
      ),
    });
  }
  if (su) {
    rows.push({
      goal: `surge: ${int(su.offers)} offers accepted`,
      target: `all, 0 failures, ≤ ${su.seconds} s`,
      measured: `${int(su.rowsInOffers)} rows, ${int(su.failures)} failures, ${fixed(su.acceptSeconds)} s`,
      verdict: verdict(su.rowsInOffers === su.offers && su.failures === 0 && su.acceptSeconds <= su.seconds),
    });
    if (su.drain.measured) {
      const pending = (su.drain.jobsAfter?.pending ?? 0) + (su.drain.jobsAfter?.dead ?? 0);
      rows.push({
        goal: 'drain: every job delivered',
        target: '0 pending, 0 dead',
        measured: `${int(su.drain.messages)} messages, ${int(pending)} pending/dead, ${fixed(su.drain.seconds)} s`,
        verdict: verdict(pending === 0 && su.drain.completed),
      });
    } else
      rows.push({
        goal: 'drain',
        target: 'all delivered',
        measured: 'not measured (no delivery worker yet)',
        verdict: 'n/a',
      });
  }
  if (me) {
    const first = me.surges[0];
    const last = me.surges.at(-1);
    rows.push({
      goal: `memory: server RSS after surge ${me.surges.length} vs 1`,
      target: `≤ +${fixed(me.limit * 100, 0)} %`,
      measured: `${mib(first?.rssBytes)} → ${mib(last?.rssBytes)} MiB (${signedPercent(me.serverGrowth)})`,
      verdict: verdict(Number.isFinite(me.serverGrowth) ? me.serverGrowth <= me.limit : undefined),
    });
    if (me.workerGrowth !== undefined)
      rows.push({
        goal: `memory: worker RSS after drain ${me.drains.length} vs 1`,
        target: `≤ +${fixed(me.limit * 100, 0)} %`,
        measured: `${mib(me.drains[0]?.probe?.before.rss)} → ${mib(me.drains.at(-1)?.probe?.before.rss)} MiB (${signedPercent(me.workerGrowth)})`,
        verdict: verdict(Number.isFinite(me.workerGrowth) ? me.workerGrowth <= me.limit : undefined),
      });
  }
  results.goals = rows;
  const s = section('Goals (reported, never failing the run)');
  s.tables.push({
    headers: ['goal', 'target', 'measured', 'verdict'],
    leftColumns: [0, 1, 2, 3],
    rows: rows.map((r) => [r.goal, r.target, r.measured, r.verdict]),
  });
  for (const c of results.crashed) s.notes.push(`CRASHED: ${c.step}: ${c.error.split('\n')[0]}`);
  s.notes.push(
    `step times: ${Object.entries(results.stepSeconds)
      .map(([k, v]) => `${k} ${v} s`)
      .join(', ')}; whole run ${elapsed()}`,
  );
  sections.push(s);
}

for (const s of sections) printSection(s);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(
  join(resultsDir, 'latest.md'),
  [
    `# Benchmark ${m.date.slice(0, 10)}${options.quick ? ' (BENCH_QUICK smoke run)' : ''}`,
    'Made by `npm run bench`; see [bench/README.md](../README.md) for what each figure means.',
    ...sections.map(markdownSection),
  ].join('\n\n') + '\n',
);
console.log(
  `\nWritten: ${join('bench', 'results', 'latest.json')} and ${join('bench', 'results', 'latest.md')} (${root})`,
);

removeTempDirs();
// Exit explicitly (keep-alive sockets and timers of the tools must not keep the run open), once
// everything printed has been flushed.
const exitCode = results.crashed.length ? 1 : 0;
process.stdout.write('', () => process.exit(exitCode));
