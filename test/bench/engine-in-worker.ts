/**
 * The engine's figures in a Chromium worker, for `npm run bench:browser` (bundled by it into
 * dist/bench/, see test/bench/browser.bench.ts): the same measurements as `npm run bench` makes in
 * Node — the dealer loop of a million dealers, a full tick at the schema's maxima, a default
 * 1,440-tick run, a default 20,000-tick run — on the production build's wasm, in a dedicated
 * worker as the page runs it. Posts one message of results.
 */
import { toEngineBlock, type Params } from '../../src/model/schema.ts';
import { parseStrict } from '../../src/model/validate.ts';
import { instantiateEngine } from '../../src/sim/wasm.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { median } from './results.ts';

export interface WorkerFigures {
  /** Median ms a tick of 1M dealers (nothing else). */
  dealerMs: number;
  /** Median ms a tick at the maxima, and the init there. */
  maximaMs: number;
  maximaInitMs: number;
  /** Median ms of a default 1,440-tick run (init included), and of a 20,000-tick one. */
  defaultRunMs: number;
  longRunMs: number;
}

const params = (overrides: Record<string, number>): Params => parseStrict(Object.entries(overrides));

function perTick(engine: WasmEngine, chunks: number, size: number): number {
  const times: number[] = [];
  for (let c = 0; c < chunks; c++) {
    const t0 = performance.now();
    engine.step(size);
    times.push((performance.now() - t0) / size);
  }
  return median(times);
}

function timeRun(engine: WasmEngine, p: Params): number {
  const t0 = performance.now();
  engine.init(toEngineBlock(p));
  engine.step(p.ticks);
  return performance.now() - t0;
}

self.onmessage = async (event: MessageEvent<{ wasmUrl: string; quick: boolean }>) => {
  const { wasmUrl, quick } = event.data;
  const module = await WebAssembly.compileStreaming(fetch(wasmUrl));
  const engine = new WasmEngine(await instantiateEngine(module));
  // Warm up (wasm tier-up) on a default run.
  timeRun(engine, params({ ticks: 1440 }));

  engine.init(toEngineBlock(params({ dealers: 1_000_000, accounts: 0, ticks: 400 })));
  engine.step(20);
  const dealerMs = perTick(engine, quick ? 4 : 12, 20);

  const t0 = performance.now();
  engine.init(
    toEngineBlock(
      params({ dealers: 1_000_000, accounts: 2_000_000, borrowers: 1_000_000, insurers: 100_000, ticks: 200 }),
    ),
  );
  const maximaInitMs = performance.now() - t0;
  engine.step(10);
  const maximaMs = perTick(engine, quick ? 3 : 8, 20);

  const defaults: number[] = [];
  for (let r = 0; r < (quick ? 3 : 9); r++) defaults.push(timeRun(engine, params({ ticks: 1440 })));
  const long: number[] = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) long.push(timeRun(engine, params({ ticks: 20_000 })));

  const figures: WorkerFigures = {
    dealerMs,
    maximaMs,
    maximaInitMs,
    defaultRunMs: median(defaults),
    longRunMs: median(long),
  };
  self.postMessage(figures);
};
