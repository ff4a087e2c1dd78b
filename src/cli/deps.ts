/**
 * What the commands need from the outside world, gathered in one place so tests can run the
 * whole CLI in-process with fakes (captured output, a fake engine) and the real program wires
 * in Node's streams, the file system and the engines.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { RunPool } from '../model/batch.ts';
import type { Engine, EngineKind } from '../model/engine.ts';
import type { Greeks, OptionType } from '../model/greeks.ts';

/** One European option to price, as the `greeks` command reads it. */
export interface OptionInput {
  type: OptionType;
  spot: number;
  strike: number;
  /** Years to expiry. */
  time: number;
  rate: number;
  dividend: number;
  vol: number;
}

export interface CliDeps {
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, text: string): Promise<void>;
  /** A text file the user named (an options chain for `run --chain`). */
  readFile(path: string): Promise<string>;
  /** Size in bytes of a file the user named, so a huge one is refused before it is read. */
  fileSize(path: string): Promise<number>;
  createEngine(kind: EngineKind): Promise<Engine>;
  greeks(option: OptionInput): Promise<Greeks>;
  /** Somewhere to run whole runs, `workers` at a time (`ensemble`, `attribute`, `sweep`, `worker`). */
  createPool(kind: EngineKind, workers: number): Promise<RunPool>;
  /** Cores to use when --workers is not given. */
  cores: number;
  /** Whether stderr is a terminal (then long commands draw a progress bar there). */
  stderrTTY: boolean;
}

/**
 * The real world. Engines and the WASM module are imported on demand: `help` and `presets` must
 * work (and start fast) even before the engine is built.
 */
export const nodeDeps: CliDeps = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  writeFile: (path, text) => writeFile(path, text),
  readFile: (path) => readFile(path, 'utf8'),
  fileSize: async (path) => (await stat(path)).size,
  async createEngine(kind) {
    if (kind === 'reference') {
      const { ReferenceEngine } = await import('../model/reference/engine.ts');
      return new ReferenceEngine();
    }
    const [{ WasmEngine }, { loadEngineNode }] = await Promise.all([
      import('../sim/wasm-engine.ts'),
      import('../sim/wasm-node.ts'),
    ]);
    return new WasmEngine(await loadEngineNode('release'));
  },
  async createPool(kind, workers) {
    if (workers === 1) {
      const { enginePool } = await import('../model/batch.ts');
      return enginePool(await nodeDeps.createEngine(kind));
    }
    const { threadPool } = await import('../sim/pool-node.ts');
    return threadPool(workers, kind);
  },
  cores: availableParallelism(),
  stderrTTY: process.stderr.isTTY === true,
  async greeks({ type, spot, strike, time, rate, dividend, vol }) {
    const [{ wasmGreeks }, { loadEngineNode }] = await Promise.all([
      import('../sim/greeks.ts'),
      import('../sim/wasm-node.ts'),
    ]);
    return wasmGreeks(await loadEngineNode('release'), type, spot, strike, time, rate, dividend, vol);
  },
};
