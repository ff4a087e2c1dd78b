/**
 * What every engine offers: the WASM engine (`src/sim/wasm-engine.ts`) and the TypeScript
 * reference engine (`src/model/reference/`). The worker, the CLI, the tests and the benchmark
 * program against this interface only.
 */
import { mapSeries, type Series, type SeriesKey } from './series.ts';

export type EngineKind = 'wasm' | 'reference';

export interface Engine {
  readonly kind: EngineKind;
  /**
   * Allocate and draw every agent for this parameter block (schema order; see `toEngineBlock`)
   * and option grid (see `toGridBlock`; the default grid when omitted).
   */
  init(block: Float64Array, grid?: Float64Array): void;
  /** Advance up to `n` ticks (stops at the run's end); returns the tick reached. */
  step(n: number): number;
  /** Ticks simulated so far (0 after init). */
  readonly tick: number;
  /** Total ticks of the run. */
  readonly ticks: number;
  /**
   * A column of the run, length `ticks + 1`; entries past `tick` are 0. For the WASM engine this
   * is a view of wasm memory: copy it before the next `init`.
   */
  column(key: SeriesKey): Float64Array;
  /** Dealers' GEX per 1% move at each price of `prices`, at the current implied vol and time. */
  gammaProfile(prices: Float64Array): Float64Array;
  /**
   * Liquidation map: notional (USD) of not-yet-liquidated accounts whose liquidation price falls
   * in each bucket of `edges` (length n+1) → length n; perp longs and shorts separately, and the
   * collateral of loans (valued at their liquidation price).
   */
  liquidationMap(edges: Float64Array): LiquidationMap;
}

/** What would be liquidated at each price bucket: perp longs, perp shorts, loans' collateral (USD). */
export interface LiquidationMap {
  long: Float64Array;
  short: Float64Array;
  lending: Float64Array;
}

/** Every column of the engine's run, copied: anything kept past the next `init` must be (a WASM column is a view of its memory). */
export function readSeries(engine: Pick<Engine, 'column'>): Series {
  return mapSeries((key) => engine.column(key).slice());
}

/** Every column of the engine's run as views, no copy: for what is computed from them at once, such as a summary. */
export function viewSeries(engine: Pick<Engine, 'column'>): Series {
  return mapSeries((key) => engine.column(key));
}
