/**
 * Preloaded into the server and the worker by the memory step (`node --expose-gc --import
 * bench/lib/memory-probe.ts …`); does nothing unless BENCH_MEMORY_PROBE names a file. On SIGUSR2,
 * and once when the process exits, it appends one JSON line to that file: process.memoryUsage()
 * as it is, then again after two forced full garbage collections. The first says what the process
 * holds; the second separates live objects (heapUsed after GC) from garbage not yet collected.
 * RSS hardly changes with the GC: V8 keeps freed pages for reuse, and glibc keeps freed memory.
 *
 * Kept out of functions/: the portal does not know it is being measured.
 */
import { appendFileSync } from 'node:fs';

export interface MemorySample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface ProbeLine {
  reason: 'signal' | 'exit';
  before: MemorySample;
  /** After two forced full GCs; missing without --expose-gc. */
  afterGc?: MemorySample;
}

const file = process.env.BENCH_MEMORY_PROBE;
if (file) {
  const gc = (globalThis as { gc?: () => void }).gc;
  const write = (reason: ProbeLine['reason']) => {
    const before = process.memoryUsage();
    let afterGc: MemorySample | undefined;
    if (gc) {
      gc();
      gc();
      afterGc = process.memoryUsage();
    }
    const line: ProbeLine = { reason, before, afterGc };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  process.on('SIGUSR2', () => write('signal'));
  process.on('exit', () => write('exit'));
}
