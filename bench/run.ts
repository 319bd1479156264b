/**
 * `npm run bench`: build times, page weight, Lighthouse, the offer handler under load, a surge
 * drill, 201 → SMTP and memory over repeated surges, in one run, on this machine. Prints every figure, writes bench/results/latest.json and
 * bench/results/latest.md. Timings never fail the run: it exits 0 unless a step crashed.
 * BENCH_QUICK=1 is a smoke run of 1–2 minutes. bench/README.md explains every figure.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { startEngine, type Engine, type EngineName } from './lib/engines.ts';
import { measureDeliveryLatency, type DeliveryLatency } from './lib/delivery-latency.ts';
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
  engine: EngineName;
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
  loads: LoadResult[];
  surges: SurgeResult[];
  latencies: DeliveryLatency[];
  memory?: MemoryResult;
  /** Engines that could not be started (PostgreSQL missing on this machine). */
  enginesMissing: Array<{ engine: string; reason: string }>;
  goals?: Array<{ goal: string; target: string; measured: string; verdict: string }>;
  stepSeconds: Record<string, number>;
  crashed: Array<{ step: string; error: string }>;
} = { options, stepSeconds: {}, crashed: [], loads: [], surges: [], latencies: [], enginesMissing: [] };

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

/** The handler under load on one engine: warm-up, the fixed rates (autocannon and paced), saturation. */
async function handlerLoad(engine: Engine, commitRate: CommitRateResult): Promise<LoadResult> {
  const dataDir = tempDir('load');
  const env = await engine.env(dataDir);
  // The portal in its own process (as `npm run serve`), so that the load generator here does
  // not share its event loop; its log lines go to a file.
  const server = await startServerChild(dataDir, env);
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
      progress(`${engine.label} autocannon ${rate}/s: p99 ${fixed(ac.level.p99Ms)} ms, ${ac.level.accepted} accepted`);
      await sleep(500);
      const paced = await withServerCpu(server.pid, () => runPaced(server.url, `${rate}/s`, rate, options.loadSeconds));
      levels.push(paced);
      progress(`${engine.label} paced ${rate}/s: p99 ${fixed(paced.p99Ms)} ms, ${paced.accepted} accepted`);
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
    progress(`${engine.label} saturation: ${fixed(saturation.acceptedPerSecond, 0)} accepted/s`);
  } finally {
    await server.stop();
  }
  const rowsInOffers = (await engine.counts(env)).offers;
  return {
    engine: engine.name,
    commitRate,
    levels,
    saturation,
    shareOfCommits: saturation.acceptedPerSecond / commitRate.perSecond.median,
    acceptedTotal: warmupAccepted + levels.reduce((a, l) => a + l.accepted, 0),
    warmupAccepted,
    rowsInOffers,
    inFlightLimit: options.loadConnections * levels.filter((l) => l.generator === 'autocannon').length,
  };
}

console.log(`npm run bench${options.quick ? ' (BENCH_QUICK: smoke run, fewer repetitions)' : ''}`);
const machine = describeMachine(chromiumPath);
results.machine = machine;

// 1. Build: cold (no dist, no caches) and warm, alternating. BENCH_ONLY=storage or =memory skips
// 1–3 and serves the build that is there.
const only = options.storageOnly ? 'storage' : options.memoryOnly ? 'memory' : undefined;
if (!only) results.build = await step('build', () => measureBuild(options.buildRuns, progress));
const haveBuild = only ? existsSync(join(root, 'dist', 'server', 'entry.mjs')) : Boolean(results.build);

if (haveBuild) {
  // 2 + 3. Page weight and Lighthouse against the portal in this process (no offers posted).
  if (!only)
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

  // 4.–6. Per storage engine: the handler under load, the surge and drain, and 201 → SMTP.
  // The durable-commit rate of this disk (SQLite's ceiling) is measured once. BENCH_ONLY=memory
  // skips them.
  const engineNames = options.memoryOnly ? [] : options.engines;
  const commitRate = !engineNames.length
    ? undefined
    : await step('durable commits', async () => {
        const rate = measureCommitRate(tempDir('commits'), tempDir('load'), options.commitRuns, options.commitSeconds);
        progress(`durable commits: ${showSpread(rate.perSecond, 0)} per second`);
        return rate;
      });
  for (const name of engineNames) {
    let engine: Engine;
    try {
      engine = await startEngine(name);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      results.enginesMissing.push({ engine: name, reason });
      console.error(`  ${name}: not measured: ${reason}`);
      continue;
    }
    try {
      const load =
        commitRate && (await step(`handler under load (${engine.label})`, () => handlerLoad(engine, commitRate)));
      if (load) results.loads.push(load);
      const surge = await step(`surge drill (${engine.label})`, () =>
        surgeDrill(
          {
            offers: options.surgeOffers,
            seconds: options.surgeSeconds,
            rate: surgeRate(options.surgeOffers, options.surgeSeconds, options.loadConnections),
            connections: options.loadConnections,
            drainTimeoutSeconds: options.drainTimeoutSeconds,
          },
          engine,
          progress,
        ),
      );
      if (surge) results.surges.push(surge);
      const latency = await step(`201 to SMTP (${engine.label})`, () =>
        measureDeliveryLatency(
          { rate: options.latencyRate, seconds: options.latencySeconds, timeoutSeconds: 60 },
          engine,
          progress,
        ),
      );
      if (latency) results.latencies.push(latency);
    } finally {
      await engine.stop();
    }
  }

  // 7. Memory: surges in a row against one server, each followed by a drain (SQLite: the drains
  // run on copies of its database file). BENCH_ONLY=storage skips it.
  if (!options.storageOnly)
    results.memory = await step('memory', async () =>
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
        await startEngine('sqlite'),
        progress,
      ),
    );
} else {
  console.error(
    only
      ? `  BENCH_ONLY=${only} needs a build: npm run build first.`
      : '  The build failed: nothing else can be measured.',
  );
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
      ['mode', `${options.quick ? 'BENCH_QUICK=1 (smoke run)' : 'full'}${only ? `, BENCH_ONLY=${only}` : ''}`],
      ['load average at the start (1/5/15 min)', m.loadAverage],
    ],
  });
  sections.push(s);
}

const skippedNote = `skipped (BENCH_ONLY=${only}: ${only === 'memory' ? 'the memory step' : 'storage engines'} only); the last full run is in the history of this file`;
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
  } else s.notes.push(only ? skippedNote : 'not measured (crashed)');
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
  } else s.notes.push(only ? skippedNote : 'not measured (crashed or skipped)');
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
  } else s.notes.push(only ? skippedNote : 'not measured (crashed or skipped)');
  sections.push(s);
}

const engineLabel = (name: string) => (name === 'postgres' ? 'PostgreSQL' : 'SQLite');
const loads = results.loads;
const surges = results.surges;
const latencies = results.latencies;
const missingEngines = results.enginesMissing.map((e) => `${engineLabel(e.engine)} not measured: ${e.reason}`);
{
  // The figures the issue asks for, one column per engine.
  const s = section('Storage engines side by side');
  const engines = options.engines.filter((e) => !results.enginesMissing.some((m) => m.engine === e));
  const level = (engine: string, rate: number, generator: string) =>
    loads.find((l) => l.engine === engine)?.levels.find((l) => l.targetRate === rate && l.generator === generator);
  const rows: string[][] = [];
  for (const rate of options.loadRates.filter((r) => r >= 50)) {
    for (const generator of ['paced', 'autocannon']) {
      rows.push([
        `${rate}/s (${generator}): accepted/s, p99`,
        ...engines.map((e) => {
          const l = level(e, rate, generator);
          return l ? `${fixed(l.acceptedPerSecond)}/s, ${fixed(l.p99Ms)} ms` : 'n/a';
        }),
      ]);
    }
  }
  rows.push([
    'saturation: accepted/s, p99',
    ...engines.map((e) => {
      const l = loads.find((x) => x.engine === e)?.saturation;
      return l ? `${fixed(l.acceptedPerSecond, 0)}/s, ${fixed(l.p99Ms)} ms` : 'n/a';
    }),
  ]);
  rows.push([
    `surge ${int(options.surgeOffers)} offers: time to accept all, failures`,
    ...engines.map((e) => {
      const x = surges.find((y) => y.engine === e);
      return x ? `${fixed(x.acceptSeconds)} s, ${int(x.failures)}` : 'n/a';
    }),
  ]);
  rows.push([
    'surge latency p50 / p99',
    ...engines.map((e) => {
      const x = surges.find((y) => y.engine === e);
      return x ? `${fixed(x.load.p50Ms)} / ${fixed(x.load.p99Ms)} ms` : 'n/a';
    }),
  ]);
  rows.push([
    'drain (npm run deliver): time, messages/s',
    ...engines.map((e) => {
      const d = surges.find((y) => y.engine === e)?.drain;
      return d?.measured
        ? `${fixed(d.seconds)} s${d.completed ? '' : ' (NOT completed)'}, ${fixed(d.messagesPerSecond)}/s`
        : 'n/a';
    }),
  ]);
  rows.push([
    `201 → mail at SMTP, every mail: p50 / p99 (${options.latencyRate}/s, worker in the portal)`,
    ...engines.map((e) => {
      const x = latencies.find((y) => y.engine === e);
      return x ? `${fixed(x.allP50Ms, 0)} / ${fixed(x.allP99Ms, 0)} ms` : 'n/a';
    }),
  ]);
  rows.push([
    "201 → landlord's confirmation at SMTP: p50 / p99",
    ...engines.map((e) => {
      const x = latencies.find((y) => y.engine === e);
      return x ? `${fixed(x.landlordP50Ms, 0)} / ${fixed(x.landlordP99Ms, 0)} ms` : 'n/a';
    }),
  ]);
  if (options.memoryOnly) s.notes.push(skippedNote);
  else {
    s.tables.push({ headers: ['figure', ...engines.map(engineLabel)], leftColumns: [0], rows });
    s.notes.push(
      'PostgreSQL: a server of this machine started for the run in a temp folder on the same disk, durable (fsync and synchronous_commit on, as SQLite runs with synchronous=FULL), reached over TCP on 127.0.0.1; every measurement gets a new database',
    );
  }
  const busy = Number.parseFloat(m.loadAverage);
  if (busy > m.cores)
    s.notes.push(
      `BUSY MACHINE: load average ${m.loadAverage} at the start on ${m.cores} cores. Other work shared the CPU and the disk, so these are not the machine's capacity; compare the engines with each other, and an idle run with an idle run`,
    );
  s.notes.push(...missingEngines);
  sections.push(s);
}

{
  const s = section('4. Offer handler under load (POST /api/offers, a new offer per request)');
  if (loads.length) {
    s.tables.push({
      headers: [
        'engine',
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
      leftColumns: [0, 1, 2],
      rows: loads.flatMap((load) =>
        load.levels.map((l) => [
          engineLabel(load.engine),
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
      ),
    });
    const c = loads[0]!.commitRate;
    s.tables.push({
      headers: ['machine limit', 'value'],
      leftColumns: [0],
      rows: [
        ['durable single-row commits/s (SQLite), median (min–max)', showSpread(c.perSecond, 0)],
        ['one commit p50 / p99 / max ms', `${fixed(c.p50Ms, 2)} / ${fixed(c.p99Ms, 2)} / ${fixed(c.maxMs, 2)}`],
        ...loads.map((load) => [
          `handler saturation ÷ durable commits (${engineLabel(load.engine)})`,
          `${fixed(load.shareOfCommits * 100)} %`,
        ]),
      ],
    });
    s.notes.push(
      `durable commits: node:sqlite, WAL, synchronous=FULL, one INSERT of a ${c.rowBytes}-byte row per transaction, ${c.runs.length} × ${options.commitSeconds} s, on ${c.fileSystem}${c.sameFileSystemAsDataDir ? " (same file system as the portal's DATA_DIR)" : ' (NOT the same file system as DATA_DIR!)'}`,
    );
    s.notes.push(
      'autocannon at a fixed rate sends each second\'s requests in a burst at the start of the second (per connection, back-to-back); "paced" sends them evenly spaced (open loop)',
    );
    for (const load of loads) {
      const name = engineLabel(load.engine);
      const paced = load.levels.filter((l) => l.generator === 'paced');
      if (paced.length)
        s.notes.push(
          `${name}: paced generator schedule lag p99: ${paced.map((l) => `${l.name} ${fixed(l.scheduleLagP99Ms, 1)} ms`).join(', ')}`,
        );
      s.notes.push(
        `${name}: offers rows after the load: ${int(load.rowsInOffers)}, 2xx answers: ${int(load.acceptedTotal)} (${int(load.warmupAccepted)} of them in the unreported warm-up)` +
          (load.rowsInOffers < load.acceptedTotal
            ? ' (FEWER ROWS THAN 2xx ANSWERS: accepted offers are missing)'
            : `; the ${int(load.rowsInOffers - load.acceptedTotal)} extra rows are posts still in flight when autocannon stopped a timed run (at most ${load.inFlightLimit}: ${options.loadConnections} connections × ${load.levels.filter((l) => l.generator === 'autocannon').length} runs)`),
      );
      for (const l of load.levels) {
        const odd = Object.entries(l.statusCodes).filter(([code]) => !code.startsWith('2'));
        if (odd.length)
          s.notes.push(
            `${name} ${l.name} ${l.generator}: status codes ${odd.map(([code, n]) => `${code}×${n}`).join(', ')}`,
          );
      }
    }
  } else s.notes.push(options.memoryOnly ? skippedNote : 'not measured (crashed or skipped)');
  s.notes.push(...missingEngines);
  sections.push(s);
}

{
  const rate = surgeRate(options.surgeOffers, options.surgeSeconds, options.loadConnections);
  const s = section(
    `5. Surge drill (${int(options.surgeOffers)} offers within ${options.surgeSeconds} s: ${rate}/s over ${options.loadConnections} connections, against node functions/server.ts)`,
  );
  if (surges.length) {
    const jobs = (j: Record<string, number> | undefined) =>
      Object.entries(j ?? {})
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(', ') || '0';
    const row = (figure: string, value: (su: SurgeResult) => string) => [figure, ...surges.map(value)];
    s.tables.push({
      headers: ['figure', ...surges.map((su) => engineLabel(su.engine))],
      leftColumns: [0],
      rows: [
        row('time to accept all (first request → last 2xx)', (su) => `${fixed(su.acceptSeconds)} s`),
        row('accepted (2xx answers)', (su) => int(su.load.accepted)),
        row('rows in offers table afterwards', (su) => `${int(su.rowsInOffers)} (${int(su.rowsReceived)} received)`),
        row(
          'failures (non-2xx + errors)',
          (su) =>
            `${int(su.failures)} (${int(su.load.non2xx)} non-2xx, ${int(su.load.errors)} errors, ${int(su.load.timeouts)} timeouts)`,
        ),
        row(
          'latency p50 / p99 / max',
          (su) => `${fixed(su.load.p50Ms)} / ${fixed(su.load.p99Ms)} / ${fixed(su.load.maxMs)} ms`,
        ),
        row(
          'server CPU during the surge',
          (su) =>
            `${fixed(su.load.serverCpuPercent, 0)} % of one core, ${fixed(su.load.serverCpuMsPerOffer, 2)} ms per offer`,
        ),
        row(
          'server RSS at start → peak (VmHWM)',
          (su) =>
            `${mib(su.memory.startRssBytes)} → ${mib(su.memory.hwmBytes)} MiB (polled peak VmRSS ${mib(su.memory.peakRssBytes)} MiB)`,
        ),
        row('delivery jobs waiting', (su) => jobs(su.jobs)),
      ],
    });
    if (surges.some((su) => su.drain.measured)) {
      const drainRow = (figure: string, value: (d: SurgeResult['drain']) => string) => [
        figure,
        ...surges.map((su) => (su.drain.measured ? value(su.drain) : 'n/a')),
      ];
      s.tables.push({
        headers: ['drain (node functions/deliver.ts → local SMTP)', ...surges.map((su) => engineLabel(su.engine))],
        leftColumns: [0],
        rows: [
          drainRow(
            'time to drain (start → exit)',
            (d) => `${fixed(d.seconds)} s${d.completed ? '' : ' (NOT completed)'}`,
          ),
          drainRow('messages received', (d) => `${int(d.messages)} (${fixed(d.messagesPerSecond)} per second)`),
          drainRow('delivery jobs after', (d) => jobs(d.jobsAfter)),
          drainRow('worker peak RSS (VmHWM)', (d) => `${mib(d.memory?.hwmBytes)} MiB`),
          drainRow('worker exit', (d) => d.exit ?? 'n/a'),
        ],
      });
    }
    for (const su of surges) {
      if (su.drain.measured && su.drain.summary)
        s.notes.push(`${engineLabel(su.engine)} worker said: ${su.drain.summary.trim()}`);
      else if (!su.drain.measured) s.notes.push(`${engineLabel(su.engine)} drain: not measured (${su.drain.reason})`);
    }
    s.notes.push(
      'the portal runs with RATE_LIMIT=off and DELIVERY_WORKER=off: the surge measures the intake alone, and the jobs wait for the drain',
    );
  } else s.notes.push(options.memoryOnly ? skippedNote : 'not measured (crashed or skipped)');
  s.notes.push(...missingEngines);
  sections.push(s);
}

{
  const s = section(
    `6. From the 201 to the mail at the SMTP server (${options.latencyRate} offers/s evenly spaced for ${options.latencySeconds} s, delivery worker inside the portal)`,
  );
  if (latencies.length) {
    const row = (figure: string, value: (x: DeliveryLatency) => string) => [figure, ...latencies.map(value)];
    s.tables.push({
      headers: ['figure', ...latencies.map((x) => engineLabel(x.engine))],
      leftColumns: [0],
      rows: [
        row('offers accepted (201)', (x) => `${int(x.accepted)} of ${int(x.offers)}`),
        row('mails at the SMTP server', (x) => `${int(x.mailsReceived)} of ${int(x.mailsExpected)}`),
        row(
          'every mail: p50 / p99 / max',
          (x) => `${fixed(x.allP50Ms, 0)} / ${fixed(x.allP99Ms, 0)} / ${fixed(x.allMaxMs, 0)} ms`,
        ),
        row(
          "landlord's confirmation: p50 / p99",
          (x) => `${fixed(x.landlordP50Ms, 0)} / ${fixed(x.landlordP99Ms, 0)} ms`,
        ),
        row("the offer's last mail: p50 / p99", (x) => `${fixed(x.lastP50Ms, 0)} / ${fixed(x.lastP99Ms, 0)} ms`),
      ],
    });
    s.notes.push(
      'measured in the benchmark process on one clock: the 201 answer read by the client → the SMTP server holding the complete message (two or three mails per offer: coordinator, landlord, and the carrier where the Stadtteil routes to one); a stored offer wakes the worker at once',
    );
  } else s.notes.push(options.memoryOnly ? skippedNote : 'not measured (crashed or skipped)');
  s.notes.push(...missingEngines);
  sections.push(s);
}

/** 0.012 → "+1.2 %"; the growth figures of the memory step. */
const signedPercent = (g: number | undefined) =>
  g === undefined || !Number.isFinite(g) ? 'n/a' : `${g >= 0 ? '+' : ''}${fixed(g * 100)} %`;

const me = results.memory;
{
  const s = section(
    `7. Memory (${options.memorySurges} surges of ${int(options.memoryOffers)} offers in a row against one node functions/server.ts on SQLite, and a drain of each; MiB)`,
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
    for (const [i, x] of me.drains.entries())
      if (!x.drain.completed) s.notes.push(`drain ${i + 1} NOT completed: ${x.drain.exit ?? 'n/a'}`);
    const busy = Number.parseFloat(m.loadAverage);
    if (busy > m.cores)
      s.notes.push(
        `BUSY MACHINE: load average ${m.loadAverage} at the start on ${m.cores} cores; RSS depends little on CPU share, but the surges take longer and the drains run slower`,
      );
  } else s.notes.push(options.storageOnly ? skippedNote : 'not measured (crashed or skipped)');
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
  for (const load of loads) {
    const name = engineLabel(load.engine);
    rows.push({
      goal: `handler saturation vs durable commits (${name})`,
      target: `≥ ${goals.handlerShareOfCommits * 100} %`,
      measured: `${fixed(load.shareOfCommits * 100)} % (${fixed(load.saturation.acceptedPerSecond, 0)} of ${fixed(load.commitRate.perSecond.median, 0)}/s)`,
      verdict: verdict(load.shareOfCommits >= goals.handlerShareOfCommits),
    });
    for (const l of load.levels.filter((x) => x.targetRate === 50)) {
      rows.push({
        goal: `p99 at 50/s (${name}, ${l.generator})`,
        target: `< ${goals.p99At50Ms} ms`,
        measured: `${fixed(l.p99Ms)} ms`,
        verdict: verdict(l.p99Ms < goals.p99At50Ms),
      });
    }
    rows.push({
      goal: `every 2xx is a stored row (${name})`,
      target: 'rows ≥ 2xx',
      measured: `${int(load.rowsInOffers)} rows / ${int(load.acceptedTotal)} 2xx`,
      verdict: verdict(
        load.rowsInOffers >= load.acceptedTotal && load.rowsInOffers - load.acceptedTotal <= load.inFlightLimit,
      ),
    });
  }
  for (const su of surges) {
    const name = engineLabel(su.engine);
    rows.push({
      goal: `surge: ${int(su.offers)} offers accepted (${name})`,
      target: `all, 0 failures, ≤ ${su.seconds} s`,
      measured: `${int(su.rowsInOffers)} rows, ${int(su.failures)} failures, ${fixed(su.acceptSeconds)} s`,
      verdict: verdict(su.rowsInOffers === su.offers && su.failures === 0 && su.acceptSeconds <= su.seconds),
    });
    if (su.drain.measured) {
      const pending = (su.drain.jobsAfter?.pending ?? 0) + (su.drain.jobsAfter?.dead ?? 0);
      rows.push({
        goal: `drain: every job delivered (${name})`,
        target: '0 pending, 0 dead',
        measured: `${int(su.drain.messages)} messages, ${int(pending)} pending/dead, ${fixed(su.drain.seconds)} s`,
        verdict: verdict(pending === 0 && su.drain.completed),
      });
    }
  }
  for (const x of latencies) {
    rows.push({
      goal: `201 → SMTP: every mail arrived (${engineLabel(x.engine)})`,
      target: `${x.mailsExpected} mails`,
      measured: `${x.mailsReceived} mails, p99 ${fixed(x.allP99Ms, 0)} ms`,
      verdict: verdict(x.completed),
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
        goal: `memory: worker RSS at the end of drain ${me.drains.length} vs 1`,
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
