/**
 * The CLI run in-process: captured output, files in memory, a fake engine and a fake pricer
 * injected, so CLI tests pin down parsing, precedence, output format and errors independently
 * of the model; and the real program in a child process, as a user runs it.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CliDeps, OptionInput } from '../../../src/cli/deps.ts';
import { main } from '../../../src/cli/main.ts';
import { enginePool } from '../../../src/model/batch.ts';
import type { Engine, EngineKind } from '../../../src/model/engine.ts';
import { SCHEMA } from '../../../src/model/schema.ts';
import { SERIES_INDEX, type SeriesKey } from '../../../src/model/series.ts';

/** A deterministic stand-in engine: price falls 0.1% a tick from price0; other columns are simple ramps. */
export class FakeEngine implements Engine {
  tick = 0;
  ticks = 0;
  block = new Float64Array();
  /** The option grid passed to init; undefined for the default grid. */
  grid?: Float64Array;
  constructor(
    readonly kind: EngineKind,
    private readonly poison?: { key: SeriesKey; tick: number },
  ) {}
  init(block: Float64Array, grid?: Float64Array): void {
    this.block = block.slice();
    this.grid = grid?.slice();
    this.ticks = block[SCHEMA.findIndex((p) => p.key === 'ticks')];
    this.tick = 0;
  }
  step(n: number): number {
    this.tick = Math.min(this.ticks, this.tick + n);
    return this.tick;
  }
  column(key: SeriesKey): Float64Array {
    const price0 = this.block[SCHEMA.findIndex((p) => p.key === 'price0')];
    const col = new Float64Array(this.ticks + 1);
    for (let t = 0; t <= this.tick; t++) {
      col[t] = key === 'price' || key === 'cfPrice' ? price0 * (1 - 0.001 * t) : SERIES_INDEX[key] + t / 3;
    }
    if (this.poison?.key === key) col[this.poison.tick] = NaN;
    return col;
  }
  gammaProfile(prices: Float64Array): Float64Array {
    return new Float64Array(prices.length);
  }
  liquidationMap(edges: Float64Array): { long: Float64Array; short: Float64Array; lending: Float64Array } {
    const n = Math.max(0, edges.length - 1);
    return { long: new Float64Array(n), short: new Float64Array(n), lending: new Float64Array(n) };
  }
}

export interface Harness {
  status: number;
  stdout: string;
  stderr: string;
  /** The in-memory file system: files given to `cli` and files the command wrote. */
  files: Map<string, string>;
  engines: FakeEngine[];
  options: OptionInput[];
}

type Overrides = Partial<CliDeps> & { poison?: { key: SeriesKey; tick: number }; files?: Record<string, string> };

export async function cli(argv: string[], overrides: Overrides = {}): Promise<Harness> {
  const { poison, files = {}, ...deps } = overrides;
  const h: Harness = {
    status: -1,
    stdout: '',
    stderr: '',
    files: new Map(Object.entries(files)),
    engines: [],
    options: [],
  };
  h.status = await main(argv, {
    stdout: (text) => void (h.stdout += text),
    stderr: (text) => void (h.stderr += text),
    writeFile: async (path, text) => void h.files.set(path, text),
    readFile: async (path) => {
      const text = h.files.get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    fileSize: async (path) => {
      const text = h.files.get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, stat '${path}'`);
      return Buffer.byteLength(text);
    },
    createEngine: async (kind) => {
      const engine = new FakeEngine(kind, poison);
      h.engines.push(engine);
      return engine;
    },
    createPool: async (kind) => {
      const engine = new FakeEngine(kind, poison);
      h.engines.push(engine);
      return enginePool(engine);
    },
    cores: 2,
    stderrTTY: false,
    greeks: async (option) => {
      h.options.push(option);
      return { price: 2.4, delta: 0.52, gamma: 0.066, vega: 12.1, theta: -4.31, rho: 8.91 };
    },
    ...deps,
  });
  return h;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** `node bin/cascade-lab.js …args` from the repository's root: its exit status and output. */
export async function cascadeLab(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/cascade-lab.js', ...args], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { status: code, stdout, stderr };
  }
}

/**
 * The running example of J. C. Hull, Options, Futures, and Other Derivatives ("The Greek
 * Letters") as `greeks` flags: S = 49, K = 50, T = 20 weeks (0.3846 y), σ = 20%, a call.
 */
export const HULL_CALL = ['--type', 'call', '--spot', '49', '--strike', '50', '--time', '0.3846', '--vol', '0.2'];
