/**
 * `npm run bench`: every Node-measurable performance target of issue 12 and the long-run target
 * of issue 13, each with its measured value, a baseline beside it and a verdict; writes
 * bench/results/node.json and, when an earlier one is there, prints how each value changed.
 *
 * The machine is shared (2 cores, other builds running), so every per-tick figure is the median
 * of many equal chunks of ticks, and every init the median of several inits. Each engine first
 * runs untimed, so the JIT and wasm tier-up are done before anything is measured.
 *
 * Targets that only a browser can measure (the page's frames and long tasks, a Chromium worker)
 * are printed as such; Node stands in for the worker where it can, and says so.
 *
 * Usage: npm run bench [-- --quick] [-- --only=dealerLoop,maxima,longRuns,…]
 * (--quick: fewer ticks and repeats, for trying the script; --only: those sections alone)
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { presetGrid } from '../../src/model/chains.ts';
import { PRESETS } from '../../src/model/presets.ts';
import { toEngineBlock, type Params } from '../../src/model/schema.ts';
import type { EngineExports } from '../../src/sim/wasm.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../src/sim/wasm-node.ts';
import { paramsWith, presetParams } from '../support/params.ts';
import { plainDealerLoop } from './plain-dealers.ts';
import { median, onlySections, type Result } from './results.ts';

const quick = process.argv.includes('--quick');
/** `--only=longRuns,maxima`: those sections alone (by function name), written to bench/results/node-only.json. */
const only = onlySections(process.argv);
const CORES = cpus().length;

let exports: EngineExports;
let engine: WasmEngine;

/** Init `params` and return the init's milliseconds. */
function init(params: Params, grid?: Float64Array): number {
  const t0 = performance.now();
  engine.init(toEngineBlock(params), grid);
  return performance.now() - t0;
}

/** Milliseconds of processor time (user and system) since `start`. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Step `chunks` chunks of `size` ticks from where the run is; the median ms per tick. */
function msPerTick(chunks: number, size: number): number {
  const times: number[] = [];
  for (let c = 0; c < chunks; c++) {
    const t0 = performance.now();
    engine.step(size);
    times.push((performance.now() - t0) / size);
  }
  return median(times);
}

function dealerLoop(results: Result[]): void {
  const dealers = 1_000_000;
  const ticks = quick ? 120 : 360;
  const params = paramsWith({ dealers, accounts: 0, ticks });
  const run = (): number => {
    init(params);
    engine.step(20); // tier-up
    return msPerTick((ticks - 20) / 20, 20);
  };
  // Alternated with the plain-JS loop, so that the machine's load falls on both alike; the median of each.
  const wasm: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    wasm.push(run());
    plain.push(plainDealerLoop(dealers, quick ? 10 : 30));
  }
  const rate = (ms: number) => dealers / (ms / 1000);
  const ms = median(wasm);
  const js = median(plain);
  results.push({
    target: 'Dealer loop (Node): 1M dealers, nothing else, defaults (the shock included)',
    goal: '≥ 1.5e8 dealer-updates/s (≤ 6.7 ms/tick)',
    value: rate(ms),
    unit: 'updates/s',
    baseline: `plain JS, the same loop on the same layout ${rate(js).toExponential(2)}/s (${js.toFixed(2)} ms/tick, WASM ${(js / ms).toFixed(1)}× faster)`,
    met: rate(ms) >= 1.5e8,
    note: `${ms.toFixed(2)} ms/tick (medians of ${wasm.length} runs): two passes over every dealer a tick (the open's marks fused with the first trial price, then the second)`,
  });
}

function maxima(results: Result[]): void {
  const params = paramsWith({
    dealers: 1_000_000,
    accounts: 2_000_000,
    borrowers: 1_000_000,
    insurers: 100_000,
    ticks: 200,
  });
  const inits: number[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) inits.push(init(params));
  const ms = msPerTick(quick ? 4 : 9, 20);
  results.push({
    target: 'Full tick at the maxima (1M dealers, 2M perp accounts, 1M borrowers, 100k insurers), Node',
    goal: '≥ 60 ticks/s (the target is a Chromium worker; Node stands in)',
    value: 1000 / ms,
    unit: 'ticks/s',
    baseline: `${ms.toFixed(2)} ms/tick`,
    met: 1000 / ms >= 60,
  });
  results.push({
    target: 'Init at the maxima',
    goal: '≤ 1000 ms',
    value: median(inits),
    unit: 'ms',
    baseline: `${inits.length} inits: ${inits.map((x) => x.toFixed(0)).join(', ')} ms`,
    met: median(inits) <= 1000,
  });
  const million = paramsWith({ accounts: 1_000_000, ticks: 10 });
  const perps: number[] = [];
  for (let r = 0; r < (quick ? 2 : 5); r++) perps.push(init(million));
  results.push({
    target: 'Init with 1M perp accounts (defaults otherwise)',
    goal: '≤ 300 ms',
    value: median(perps),
    unit: 'ms',
    baseline: `${perps.length} inits: ${perps.map((x) => x.toFixed(0)).join(', ')} ms`,
    met: median(perps) <= 300,
  });
  const defaults = paramsWith({});
  const small: number[] = [];
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now();
    engine.init(toEngineBlock(defaults));
    engine.step(60);
    small.push(performance.now() - t0);
  }
  results.push({
    target: 'A slider move at default scale: init + the first 60 ticks, Node',
    goal: '≤ 100 ms to the first new frame (the page measures the frame: bench:browser)',
    value: median(small),
    unit: 'ms',
    baseline: 'median of 9',
    met: median(small) <= 100,
  });
}

/**
 * ms/tick around tick 1,000 and around tick 19,000 of a 20,000-tick run of each preset, on two
 * engine instances stepped in alternate chunks (one at ticks 750–1,250, the other at
 * 18,750–19,250), so that the machine's load falls on both windows alike.
 */
async function longRuns(results: Result[]): Promise<void> {
  const ticks = 20_000;
  const chunk = 25;
  const chunks = 20;
  const late = new WasmEngine(await loadEngineNode('release'));
  const rows: string[] = [];
  let worst = 0;
  let memoryGrew = false;
  for (const preset of PRESETS) {
    const params = presetParams(preset.name, { ticks });
    const grid = presetGrid(preset);
    const ratios: number[] = [];
    const earlyMs: number[] = [];
    const lateMs: number[] = [];
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      init(params, grid);
      const bytes = exports.memory.buffer.byteLength;
      late.init(toEngineBlock(params), grid);
      engine.step(1_000 - (chunk * chunks) / 2);
      late.step(19_000 - (chunk * chunks) / 2);
      const a: number[] = [];
      const b: number[] = [];
      // Processor time, not wall time: a chunk is a millisecond or two, and on a shared machine
      // the time the process waits for a core would otherwise decide the ratio.
      for (let c = 0; c < chunks; c++) {
        let t0 = process.cpuUsage();
        engine.step(chunk);
        a.push(cpuMs(t0) / chunk);
        t0 = process.cpuUsage();
        late.step(chunk);
        b.push(cpuMs(t0) / chunk);
      }
      engine.step(ticks);
      if (exports.memory.buffer.byteLength !== bytes) memoryGrew = true;
      earlyMs.push(median(a));
      lateMs.push(median(b));
      ratios.push(median(b) / median(a));
    }
    const ratio = median(ratios);
    worst = Math.max(worst, ratio);
    rows.push(`${preset.name} ${median(earlyMs).toFixed(3)}→${median(lateMs).toFixed(3)} ms (${ratio.toFixed(2)}×)`);
  }
  results.push({
    target: 'Long runs: ms/tick at tick 19,000 ÷ at tick 1,000, every preset (20,000 ticks; issue 13)',
    goal: '≤ 1.5× for every preset',
    value: worst,
    unit: '× (worst)',
    baseline: rows.join('; '),
    met: worst <= 1.5,
    note: `processor time; two instances stepped in alternate chunks of ${chunk} ticks, ${chunks} chunks a window; median of ${quick ? 1 : 3} runs`,
  });
  results.push({
    target: 'Memory fixed after init: a 20,000-tick run (the schema’s longest) of each preset',
    goal: 'no growth',
    value: memoryGrew ? 1 : 0,
    unit: 'runs that grew',
    baseline: 'wasm memory size after init vs after the run',
    met: !memoryGrew,
  });
}

function consecutiveRuns(results: Result[]): void {
  const params = paramsWith({ ticks: 100 });
  engine.init(toEngineBlock(params));
  engine.step(100);
  const bytes = exports.memory.buffer.byteLength;
  const runs = quick ? 100 : 1000;
  const heap0 = process.memoryUsage().heapUsed;
  for (let r = 0; r < runs; r++) {
    engine.init(toEngineBlock({ ...params, seed: r } as Params));
    engine.step(100);
  }
  const grew = exports.memory.buffer.byteLength - bytes;
  results.push({
    target: `Memory fixed after init: ${runs} consecutive runs (defaults, 100 ticks, a new seed each)`,
    goal: 'no growth',
    value: grew,
    unit: 'bytes grown',
    baseline: `wasm memory ${(bytes / 2 ** 20).toFixed(1)} MiB; JS heap ${((process.memoryUsage().heapUsed - heap0) / 2 ** 20).toFixed(1)} MiB more (garbage not yet collected counts)`,
    met: grew === 0,
  });
}

function sweeps(results: Result[]): void {
  const params = paramsWith({ ticks: 1440 });
  const times: number[] = [];
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    const t0 = performance.now();
    engine.init(toEngineBlock({ ...params, seed: 100 + r } as Params));
    engine.step(1440);
    times.push(performance.now() - t0);
  }
  const one = median(times);
  const map = (32 * 32 * one) / 1000 / CORES;
  const ensemble = (100 * one) / 1000 / CORES;
  results.push({
    target: `Stress map 32 × 32 of 1,440-tick runs at default scale, projected on ${CORES} workers`,
    goal: '≤ 20 s',
    value: map,
    unit: 's (projected)',
    baseline: `one 1,440-tick default run ${one.toFixed(1)} ms (median of ${times.length}) × 1,024 ÷ ${CORES} cores`,
    met: map <= 20,
    note: 'a projection from one thread, not a pool run (bench:browser would time the pool)',
  });
  results.push({
    target: `100 ensemble seeds of 1,440 ticks at default scale, projected on ${CORES} workers`,
    goal: '≤ 10 s',
    value: ensemble,
    unit: 's (projected)',
    baseline: `${one.toFixed(1)} ms a run × 100 ÷ ${CORES} cores`,
    met: ensemble <= 10,
    note: 'a projection from one thread, not a pool run',
  });
}

function sizes(results: Result[]): void {
  const assets = join('dist', 'assets');
  if (!existsSync(assets)) {
    results.push({
      target: 'Size of the page (JS + WASM + CSS, gzipped) and of embed.js',
      goal: '≤ 150 KB page, ≤ 3 KB embed.js',
      value: NaN,
      unit: 'KB',
      baseline: 'dist/ is not built: run `npm run build` first',
      met: null,
    });
    return;
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('dist');
  const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length / 1024;
  // The host script a page embeds is dist/embed.js; the embed page's own bundle (embed-*.js,
  // Embed-*.js) is not the playground's, so neither counts towards the page.
  const isEmbed = (path: string) => /^embed[.-]/i.test(path.split('/').pop() ?? '');
  const page = files.filter(
    (f) => f.startsWith(join('dist', 'assets')) && /\.(js|wasm|css)$/.test(f) && !isEmbed(f) && !f.includes('worker'),
  );
  const worker = files.filter((f) => f.startsWith(join('dist', 'assets')) && /\.js$/.test(f) && f.includes('worker'));
  const embed = files.filter((f) => f === join('dist', 'embed.js'));
  const pageKb = page.reduce((s, f) => s + gz(f), 0) + worker.reduce((s, f) => s + gz(f), 0);
  results.push({
    target: 'Size of the page: JS + WASM + CSS in dist/, gzipped (worker included)',
    goal: '≤ 150 KB',
    value: pageKb,
    unit: 'KB',
    baseline: `${page.length + worker.length} files in dist/assets (the embed page's bundle not counted)`,
    met: pageKb <= 150,
  });
  const embedKb = embed.reduce((s, f) => s + gz(f), 0);
  results.push({
    target: 'Size of embed.js (the host script, dist/embed.js), gzipped',
    goal: '≤ 3 KB',
    value: embed.length ? embedKb : NaN,
    unit: 'KB',
    baseline: embed.length ? embed.join(', ') : 'no embed.js in dist/',
    met: embed.length ? embedKb <= 3 : null,
  });
}

function browserOnly(results: Result[]): void {
  results.push({
    target: 'The page at default scale while playing: frame p95 and tasks over 50 ms',
    goal: 'p95 ≤ 17 ms, no task over 50 ms',
    value: NaN,
    unit: '',
    baseline: 'only a browser measures it: npm run bench:browser',
    met: null,
  });
}

function environment(): string {
  return `Node ${process.version}, ${platform()} ${arch()}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${CORES} (shared)`;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1e5) return value.toExponential(2);
  return value.toFixed(Math.abs(value) >= 100 ? 0 : 2);
}

function print(results: Result[], previous: Result[] | undefined): void {
  const verdict = (r: Result) => (r.met === null ? 'not measured here' : r.met ? 'MET' : 'NOT MET');
  const lines = [
    `Cascade Lab benchmark: ${environment()}`,
    'Per-tick figures are medians of equal chunks of ticks; inits medians of several inits.',
    '',
  ];
  for (const r of results) {
    const before = previous?.find((p) => p.target === r.target);
    const change =
      before && Number.isFinite(before.value) && Number.isFinite(r.value) ? ` (last run ${format(before.value)})` : '';
    lines.push(`${verdict(r).padEnd(17)} ${r.target}`);
    lines.push(`${''.padEnd(17)}   measured ${format(r.value)} ${r.unit}${change} · goal ${r.goal}`);
    lines.push(`${''.padEnd(17)}   beside it: ${r.baseline}`);
    if (r.note) lines.push(`${''.padEnd(17)}   ${r.note}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  exports = await loadEngineNode('release');
  engine = new WasmEngine(exports);
  engine.init(toEngineBlock(paramsWith({ ticks: 200 })));
  engine.step(200);
  const results: Result[] = [];
  const sections = [dealerLoop, maxima, longRuns, consecutiveRuns, sweeps, sizes, browserOnly];
  for (const section of sections) {
    if (only && !only.includes(section.name)) continue;
    const t0 = performance.now();
    await section(results);
    process.stderr.write(`  ${section.name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const file = join('bench', 'results', only ? 'node-only.json' : quick ? 'node-quick.json' : 'node.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).results as Result[]) : undefined;
  print(results, previous);
  mkdirSync(join('bench', 'results'), { recursive: true });
  const json = { environment: environment(), date: new Date().toISOString(), quick, results };
  writeFileSync(
    file,
    `${JSON.stringify(json, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  process.stdout.write(`\nwrote ${file}\n`);
}

await main();
