/**
 * The WASM engine behind the `Engine` interface. Writes the parameter block into wasm memory,
 * and reads the series as views of it. Views are remade after every call that may allocate
 * (init, scratch), because growing the memory detaches every view of it.
 */
import type { Engine, LiquidationMap } from '../model/engine.ts';
import { SCHEMA } from '../model/schema.ts';
import { SERIES_INDEX, SERIES_KEYS, type SeriesKey } from '../model/series.ts';
import type { EngineExports } from './wasm.ts';
import { GRID_STRIDE, defaultOptionGrid, toGridBlock } from '../model/option-grid.ts';

const DEFAULT_GRID = toGridBlock(defaultOptionGrid());

interface Exports extends EngineExports {
  paramBlock(): number;
  paramCount(): number;
  columnCount(): number;
  init(gridSeries: number): void;
  gridPointer(): number;
  gridCapacity(): number;
  step(n: number): number;
  currentTick(): number;
  seriesPointer(): number;
  scratchPointer(n: number): number;
  gammaProfile(n: number): void;
  liquidationMap(n: number): void;
}

export class WasmEngine implements Engine {
  readonly kind = 'wasm' as const;
  ticks = 0;
  private readonly wasm: Exports;

  constructor(exports: EngineExports) {
    this.wasm = exports as Exports;
    if (this.wasm.paramCount() !== SCHEMA.length || this.wasm.columnCount() !== SERIES_KEYS.length) {
      throw new Error('the engine build does not match the schema: rebuild it with `npm run asbuild`');
    }
  }

  get tick(): number {
    return this.wasm.currentTick();
  }

  init(block: Float64Array, grid: Float64Array = DEFAULT_GRID): void {
    const series = grid.length / GRID_STRIDE;
    if (series < 1 || series > this.wasm.gridCapacity())
      throw new Error(`an option grid needs 1 to ${this.wasm.gridCapacity()} series`);
    new Float64Array(this.wasm.memory.buffer, this.wasm.paramBlock(), SCHEMA.length).set(block);
    new Float64Array(this.wasm.memory.buffer, this.wasm.gridPointer(), grid.length).set(grid);
    this.wasm.init(series);
    this.ticks = block[SCHEMA.findIndex((p) => p.key === 'ticks')];
  }

  step(n: number): number {
    return this.wasm.step(n);
  }

  column(key: SeriesKey): Float64Array {
    const stride = this.ticks + 1;
    return new Float64Array(
      this.wasm.memory.buffer,
      this.wasm.seriesPointer() + SERIES_INDEX[key] * stride * 8,
      stride,
    );
  }

  gammaProfile(prices: Float64Array): Float64Array {
    const n = prices.length;
    const ptr = this.wasm.scratchPointer(n);
    new Float64Array(this.wasm.memory.buffer, ptr, n).set(prices);
    this.wasm.gammaProfile(n);
    return new Float64Array(this.wasm.memory.buffer, ptr, n).slice();
  }

  liquidationMap(edges: Float64Array): LiquidationMap {
    const n = Math.max(0, edges.length - 1);
    const ptr = this.wasm.scratchPointer(4 * n + 1);
    new Float64Array(this.wasm.memory.buffer, ptr, n + 1).set(edges);
    this.wasm.liquidationMap(n);
    const buf = new Float64Array(this.wasm.memory.buffer, ptr, 4 * n + 1);
    return {
      long: buf.slice(n + 1, 2 * n + 1),
      short: buf.slice(2 * n + 1, 3 * n + 1),
      lending: buf.slice(3 * n + 1, 4 * n + 1),
    };
  }
}
