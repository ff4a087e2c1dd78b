/**
 * A worker of the page's run pool (pool.ts): whole runs to their end, summarized, with the
 * columns asked for (`runTask`, the code the CLI's threads run too). Its engine is its own, so
 * the pool never disturbs the run that plays. `Comlink.expose` runs at start-up; `run` awaits
 * the engine.
 */
import * as Comlink from 'comlink';
import wasmUrl from '../../build/release.wasm?url';
import { runTask, type RunTask, type RunResult } from '../model/batch.ts';
import { instantiateEngine } from './wasm.ts';
import { WasmEngine } from './wasm-engine.ts';

const engine: Promise<WasmEngine> = fetch(wasmUrl).then(async (response) => {
  if (!response.ok) throw new Error(`could not fetch the engine (${response.status} ${response.statusText})`);
  return new WasmEngine(await instantiateEngine(await WebAssembly.compile(await response.arrayBuffer())));
});
engine.catch(() => undefined);

const api = {
  /** Run one task to its end. Called once per run of an ensemble, an attribution or a sweep. */
  async run(task: RunTask): Promise<RunResult> {
    const result = runTask(await engine, task);
    return Comlink.transfer(
      result,
      Object.values(result.columns).map((column) => column!.buffer as ArrayBuffer),
    );
  },
};

export type BatchApi = typeof api;

Comlink.expose(api);
