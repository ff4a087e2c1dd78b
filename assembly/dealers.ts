// Option dealers: each holds a few option positions, an underlying hedge, a hedge band, a
// participation rate, capital and running P&L. Structure of arrays, allocated once per init.
// The options AMM, when it holds a share of the book, is one more (slow) hedger.
import { P, POSITIONS_PER_DEALER, SIZE_SIGMA, BUYBACK_RATE, AMM_HEDGE_RATE, PER_PERCENT, lognormalFactor } from './layout';
import { param } from './params';
import { Rng } from './rng';
import { dealerNet, ammNet, delta, vega, priceChange, drawSeries, ammDelta } from './options';

let count: i32 = 0;
let series = new StaticArray<i32>(0);
let position = new StaticArray<f64>(0);
let hedge = new StaticArray<f64>(0);
let band = new StaticArray<f64>(0);
let rate = new StaticArray<f64>(0);
let capital = new StaticArray<f64>(0);
let pnl = new StaticArray<f64>(0);
let ammHedge: f64 = 0;

/** Vega (per vol point) dealers bought back this tick: option demand. */
export let demandVega: f64 = 0;
/** The AMM's hedge gap before this tick's trade. */
export let ammGap: f64 = 0;

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
    capital = new StaticArray<f64>(count);
    pnl = new StaticArray<f64>(count);
  }
  const gexSign = param(P.gex);
  const ammShare = param(P.ammShare);
  const dealerShare = 1.0 - ammShare;
  const hedgeBand = param(P.hedgeBand);
  const hedgeRate = param(P.hedgeRate);
  const capitalEach = count > 0 ? param(P.dealerCapital) / <f64>count : 0.0;
  const contracts = count > 0 ? param(P.optionOI) / (<f64>POSITIONS_PER_DEALER * <f64>count * param(P.price0)) : 0.0;
  for (let d = 0; d < count; d++) {
    let book = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      // A position lands in a series with probability proportional to its open interest.
      const s = drawSeries(rng.uniform());
      const size = contracts * lognormalFactor(SIZE_SIGMA, rng.normal());
      // The customer book is the same whoever holds it; an options AMM takes its share.
      const pos = dealerShare * gexSign * size;
      const slot = d * POSITIONS_PER_DEALER + j;
      unchecked(series[slot] = s);
      unchecked(position[slot] = pos);
      unchecked(dealerNet[s] += pos);
      unchecked(ammNet[s] += ammShare * gexSign * size);
      book += Math.abs(pos);
    }
    unchecked(band[d] = hedgeBand * book * (0.5 + rng.uniform()));
    unchecked(rate[d] = Math.min(1.0, hedgeRate * (0.5 + rng.uniform())));
    unchecked(capital[d] = capitalEach * (0.5 + rng.uniform()));
    unchecked(pnl[d] = 0);
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

/** Start every dealer and the AMM delta-neutral at the current Greeks. Called by `init`. */
export function neutralizeDealers(): void {
  for (let d = 0; d < count; d++) unchecked(hedge[d] = -bookDelta(d));
  ammHedge = -ammDelta();
}

/**
 * Mark every book to the last tick's price changes; a dealer short vega and past its loss
 * limit buys back a share of each short position (option demand, recorded in `demandVega`).
 * Called every tick, before `rehedge`.
 */
export function markAndBuyBack(priceMove: f64): void {
  const lossLimit = param(P.lossLimit);
  demandVega = 0;
  for (let d = 0; d < count; d++) {
    const base = d * POSITIONS_PER_DEALER;
    let change = 0.0;
    let bookVega = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      const s = unchecked(series[base + j]);
      change += unchecked(position[base + j]) * unchecked(priceChange[s]);
    }
    const total = unchecked(pnl[d]) + (change + unchecked(hedge[d]) * priceMove);
    unchecked(pnl[d] = total);
    // Most dealers are within their limit: only they need their book's vega.
    if (total >= -lossLimit * unchecked(capital[d])) continue;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      bookVega += unchecked(position[base + j]) * unchecked(vega[unchecked(series[base + j])]);
    }
    if (bookVega < 0) {
      for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
        const pos = unchecked(position[base + j]);
        if (pos >= 0) continue;
        const s = unchecked(series[base + j]);
        const bought = -pos * BUYBACK_RATE;
        unchecked(position[base + j] = pos + bought);
        unchecked(dealerNet[s] += bought);
        demandVega += bought * unchecked(vega[s]) * PER_PERCENT;
      }
    }
  }
}

/** Every dealer re-hedges toward delta-neutral if outside its band; returns the net flow (units). Called every tick the venue trades. */
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

/** The options AMM trades a small share of its hedge gap: it hedges over time. Returns its flow (units). Called every tick the venue trades. */
export function ammRehedge(): f64 {
  ammGap = -ammDelta() - ammHedge;
  const trade = AMM_HEDGE_RATE * ammGap;
  ammHedge += trade;
  return trade;
}
