// The engine's exported surface. JS (src/sim/wasm-engine.ts) writes the parameter block, calls
// `init`, then `step`, and reads the series columns straight out of linear memory.
import { P, Col, MAX_OPTION_SERIES } from './layout';
import { gridBlock } from './options';
import { params } from './params';
import { initEngine, advance, tick, ticks, series, gexProfileAt } from './engine';
import { liquidationMapInto } from './perps';
import { lendingMapInto } from './lending';

let scratch = new StaticArray<f64>(0);

/** Address of the parameter block (P.COUNT f64, schema order). Called by JS before each `init`. */
export function paramBlock(): usize {
  return changetype<usize>(params);
}

/** Number of parameters the engine expects. Called by JS once, to check the block matches the schema. */
export function paramCount(): i32 {
  return P.COUNT;
}

/** Number of series columns. Called by JS once, to check the columns match src/model/series.ts. */
export function columnCount(): i32 {
  return Col.COUNT;
}

/** Address of the option grid block (GRID_STRIDE f64 per series). Called by JS before each `init`. */
export function gridPointer(): usize {
  return changetype<usize>(gridBlock);
}

/** Most series the grid block holds. Called by JS once. */
export function gridCapacity(): i32 {
  return MAX_OPTION_SERIES;
}

/** Allocate and draw every agent for the parameter block and the first n series of the grid. Called on every reset or parameter change. */
export function init(gridSeries: i32): void {
  initEngine(min(max(gridSeries, 1), MAX_OPTION_SERIES));
}

/** Advance up to n ticks; returns the tick reached. Called by the worker many times a second. */
export function step(n: i32): i32 {
  const end = min(ticks, tick + max(0, n));
  while (tick < end) advance();
  return tick;
}

/** Ticks simulated so far. Called by JS after `step`. */
export function currentTick(): i32 {
  return tick;
}

/** Address of the series (column-major, `ticks + 1` per column). Called by JS after `init`. */
export function seriesPointer(): usize {
  return changetype<usize>(series);
}

/** A scratch buffer of at least n f64 for array arguments. Called by JS before `gammaProfile` / `liquidationMap`. */
export function scratchPointer(n: i32): usize {
  if (scratch.length < n) scratch = new StaticArray<f64>(n);
  return changetype<usize>(scratch);
}

/** Replace the n prices in scratch by dealers' GEX per 1% move at each. Called by the page a few times a second. */
export function gammaProfile(n: i32): void {
  for (let i = 0; i < n; i++) unchecked(scratch[i] = gexProfileAt(unchecked(scratch[i])));
}

/** With n+1 bucket edges in scratch, write perp long, perp short and loan collateral per bucket after them. Called by the page a few times a second. */
export function liquidationMap(n: i32): void {
  liquidationMapInto(scratch, n);
  lendingMapInto(scratch, n);
}

/** Subnormal numbers in the dealers' state (none, or long runs slow down). Called by the tests. */
export { dealerSubnormals } from './dealers';

/** Arguments where the two-lane exp of the gamma profile differs from `Math.exp` (none). Called by the tests. */
export { simdExpMismatches } from './simd-exp';

// Greeks and RNG (pure functions)

/** One Black–Scholes–Merton value (`which`: 0 price … 5 rho). Called by the CLI `greeks` command and tests, six times per option shown. */
export { bsGreek } from './greeks';

/** Draw n values (kind 0 u32, 1 uniform, 2 normal) of (seed, stream) into a buffer; returns its address. Called by the RNG tests, a few times per run. */
export { rngFill } from './rng';
