// Option dealers: each holds a few option positions, an underlying hedge, a hedge band and a
// participation rate. Structure of arrays, allocated once per init.
import { P, POSITIONS_PER_DEALER, SIZE_SIGMA } from './layout';
import { param } from './params';
import { Rng } from './rng';
import { dealerNet, delta, drawSeries } from './options';

let count: i32 = 0;
let series = new StaticArray<i32>(0);
let position = new StaticArray<f64>(0);
let hedge = new StaticArray<f64>(0);
let band = new StaticArray<f64>(0);
let rate = new StaticArray<f64>(0);

/** Draw every dealer's book over the option grid. Called by `init`, after `initOptions`. */
export function initDealers(rng: Rng): void {
  count = <i32>param(P.dealers);
  const slots = count * POSITIONS_PER_DEALER;
  if (series.length != slots) {
    series = new StaticArray<i32>(slots);
    position = new StaticArray<f64>(slots);
  }
  if (hedge.length != count) {
    hedge = new StaticArray<f64>(count);
    band = new StaticArray<f64>(count);
    rate = new StaticArray<f64>(count);
  }
  const gexSign = param(P.gex);
  const hedgeBand = param(P.hedgeBand);
  const hedgeRate = param(P.hedgeRate);
  const contracts = count > 0 ? param(P.optionOI) / (<f64>POSITIONS_PER_DEALER * <f64>count * param(P.price0)) : 0.0;
  const sizeShift = (SIZE_SIGMA * SIZE_SIGMA) / 2;
  for (let d = 0; d < count; d++) {
    let book = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      // A position lands in a series with probability proportional to its open interest.
      const s = drawSeries(rng.uniform());
      const size = contracts * Math.exp(SIZE_SIGMA * rng.normal() - sizeShift);
      const pos = gexSign * size;
      const slot = d * POSITIONS_PER_DEALER + j;
      unchecked(series[slot] = s);
      unchecked(position[slot] = pos);
      unchecked(dealerNet[s] += pos);
      book += Math.abs(pos);
    }
    unchecked(band[d] = hedgeBand * book * (0.5 + rng.uniform()));
    unchecked(rate[d] = Math.min(1.0, hedgeRate * (0.5 + rng.uniform())));
  }
}

// @ts-ignore: decorator
@inline function bookDelta(d: i32): f64 {
  let sum = 0.0;
  const base = d * POSITIONS_PER_DEALER;
  for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
    sum += unchecked(position[base + j]) * unchecked(delta[unchecked(series[base + j])]);
  }
  return sum;
}

/** Start every dealer delta-neutral at the current Greeks. Called by `init`. */
export function neutralizeDealers(): void {
  for (let d = 0; d < count; d++) unchecked(hedge[d] = -bookDelta(d));
}

/** Every dealer re-hedges toward delta-neutral if outside its band; returns the net flow. Called every tick. */
export function rehedge(): f64 {
  let flow = 0.0;
  for (let d = 0; d < count; d++) {
    const gap = -bookDelta(d) - unchecked(hedge[d]);
    if (Math.abs(gap) > unchecked(band[d])) {
      const trade = unchecked(rate[d]) * gap;
      unchecked(hedge[d] += trade);
      flow += trade;
    }
  }
  return flow;
}
