// Option dealers: each holds a few option positions, an underlying hedge, a hedge band, a
// participation rate, capital and running P&L. Structure of arrays, allocated once per init.
// Two aggregate books hedge beside them: the options AMM, when it holds a share of the book,
// and the liquidity providers who sold options to dealers buying back (the vega loop).
//
// Hedges trade at the tick's own price: the engine solves for the price with the hedges in it,
// asking `trialFlow(X)` at trial prices and finally `commitHedges(X)` (see assembly/engine.ts).
import { P, POSITIONS_PER_DEALER, SIZE_SIGMA, BUYBACK_RATE, AMM_HEDGE_RATE, PER_PERCENT, lognormalFactor } from './layout';
import { param } from './params';
import { Rng } from './rng';
import {
  dealerNet, ammNet, providerNet, customerLong, delta, vega, termWeight, priceChange, trialDelta, trialGamma,
  drawSeries, bookTrialDelta, bookTrialGamma, grossSize,
} from './options';

let count: i32 = 0;
let series = new StaticArray<i32>(0);
let position = new StaticArray<f64>(0);
let hedge = new StaticArray<f64>(0);
let band = new StaticArray<f64>(0);
let rate = new StaticArray<f64>(0);
let capital = new StaticArray<f64>(0);
let pnl = new StaticArray<f64>(0);
/** Dealers past their loss limit this tick (indices), for the second half of `markAndBuyBack`. */
let stressed = new StaticArray<i32>(0);
let ammHedge: f64 = 0;
let providerHedge: f64 = 0;
/** Price the hedges were last marked at: the open once marked, then the price they traded at. */
let execPrice: f64 = 0;

/** Vega (per vol point) dealers bought back this tick: option demand. */
export let demandVega: f64 = 0;
/** The AMM's hedge gap at the tick's open. */
export let ammGap: f64 = 0;
/** d trialFlow / dX at the last trial price … */
export let trialSlope: f64 = 0;
/** … and the most the flow can move from its value there, whatever the price: Σ rate × |position|. */
export let trialReach: f64 = 0;

/**
 * Dealers' sign on the series customers hold long (they bought them: protection) and on those
 * customers hold short (they sold them: overwriting, yield), for gex g in [−1, 1]:
 * g − (1 − g²) and g + (1 − g²), scaled so the larger is 1 in size. −1: dealers are short every
 * option; 0: they hold exactly the customers' other side; +1: long every option. In between the
 * mix moves smoothly, and dealers' net gamma at spot has the sign of g.
 */
export function dealerSign(g: f64, longByCustomers: bool): f64 {
  const bought = g - (1.0 - g * g);
  const sold = g + (1.0 - g * g);
  const scale = Math.max(Math.abs(bought), Math.abs(sold));
  return (longByCustomers ? bought : sold) / scale;
}

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
    stressed = new StaticArray<i32>(count);
  }
  const g = param(P.gex);
  const ammShare = param(P.ammShare);
  const dealerShare = 1.0 - ammShare;
  const signBought = dealerSign(g, true);
  const signSold = dealerSign(g, false);
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
      const sign = unchecked(customerLong[s]) ? signBought : signSold;
      // The customer book is the same whoever holds it; an options AMM takes its share.
      const pos = dealerShare * sign * size;
      const slot = d * POSITIONS_PER_DEALER + j;
      unchecked(series[slot] = s);
      unchecked(position[slot] = pos);
      unchecked(dealerNet[s] += pos);
      unchecked(ammNet[s] += ammShare * sign * size);
      book += Math.abs(pos);
    }
    unchecked(band[d] = hedgeBand * book * (0.5 + rng.uniform()));
    unchecked(rate[d] = Math.min(1.0, hedgeRate * (0.5 + rng.uniform())));
    unchecked(capital[d] = capitalEach * (0.5 + rng.uniform()));
    unchecked(pnl[d] = 0);
  }
}

// @ts-ignore: decorator
@inline function bookDelta(d: i32, deltas: StaticArray<f64>): f64 {
  let sum = 0.0;
  const base = d * POSITIONS_PER_DEALER;
  for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
    sum += unchecked(position[base + j]) * unchecked(deltas[unchecked(series[base + j])]);
  }
  return sum;
}

/** Start every dealer and the AMM delta-neutral at the current Greeks, at price S. Called by `init`. */
export function neutralizeDealers(S: f64): void {
  for (let d = 0; d < count; d++) unchecked(hedge[d] = -bookDelta(d, delta));
  let amm = 0.0;
  for (let s = 0; s < ammNet.length; s++) amm += unchecked(ammNet[s]) * unchecked(delta[s]);
  ammHedge = -amm;
  providerHedge = 0;
  execPrice = S;
}

/**
 * Mark every book to the move since the last hedges traded (option value changes, expiry
 * settlement, the hedge); a dealer short vega and past its loss limit buys back a share of
 * each short position from other liquidity providers, paying the price at the implied vol its
 * demand lifts: `liftPerVega` is the vol added per unit of vega bought. Records `demandVega`
 * and the AMM's gap. Called every tick, after `priceOptions`.
 */
export function markAndBuyBack(S: f64, liftPerVega: f64): void {
  const lossLimit = param(P.lossLimit);
  const move = S - execPrice;
  demandVega = 0;
  let n = 0;
  for (let d = 0; d < count; d++) {
    const base = d * POSITIONS_PER_DEALER;
    let change = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      change += unchecked(position[base + j]) * unchecked(priceChange[unchecked(series[base + j])]);
    }
    const total = unchecked(pnl[d]) + (change + unchecked(hedge[d]) * move);
    unchecked(pnl[d] = total);
    // Most dealers are within their limit: only the others need their book's vega.
    if (total >= -lossLimit * unchecked(capital[d])) continue;
    let bookVega = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      bookVega += unchecked(position[base + j]) * unchecked(vega[unchecked(series[base + j])]);
    }
    if (bookVega >= 0) continue;
    unchecked(stressed[n++] = d);
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      const pos = unchecked(position[base + j]);
      if (pos < 0) demandVega += -pos * BUYBACK_RATE * unchecked(vega[unchecked(series[base + j])]) * PER_PERCENT;
    }
  }
  // The tick's demand lifts implied vol; every buyer pays for what it buys at the lifted vol.
  const lift = liftPerVega * demandVega;
  for (let k = 0; k < n; k++) {
    const d = unchecked(stressed[k]);
    const base = d * POSITIONS_PER_DEALER;
    let cost = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      const pos = unchecked(position[base + j]);
      if (pos >= 0) continue;
      const s = unchecked(series[base + j]);
      const bought = -pos * BUYBACK_RATE;
      unchecked(position[base + j] = pos + bought);
      unchecked(dealerNet[s] += bought);
      unchecked(providerNet[s] -= bought);
      cost += bought * unchecked(vega[s]) * lift * unchecked(termWeight[s]);
    }
    unchecked(pnl[d] -= cost);
  }
  let amm = 0.0;
  for (let s = 0; s < ammNet.length; s++) amm += unchecked(ammNet[s]) * unchecked(delta[s]);
  ammGap = -amm - ammHedge;
  execPrice = S;
}

/**
 * Net hedge flow (units, + buys) of dealers, the AMM and the providers if the tick's price were
 * X, with `trialDelta`/`trialGamma` at X; leaves d flow / dX in `trialSlope` and how far the flow
 * can move in `trialReach`. Called a few times a tick while the engine solves for the price.
 */
export function trialFlow(): f64 {
  let flow = 0.0;
  let slope = 0.0;
  let reach = 0.0;
  for (let d = 0; d < count; d++) {
    const gap = -bookDelta(d, trialDelta) - unchecked(hedge[d]);
    if (Math.abs(gap) > unchecked(band[d])) {
      const r = unchecked(rate[d]);
      flow += r * gap;
      slope -= r * bookDelta(d, trialGamma);
      reach += r * bookSize(d);
    }
  }
  const providerRate = param(P.hedgeRate);
  flow += AMM_HEDGE_RATE * (-bookTrialDelta(ammNet) - ammHedge) + providerRate * (-bookTrialDelta(providerNet) - providerHedge);
  slope -= AMM_HEDGE_RATE * bookTrialGamma(ammNet) + providerRate * bookTrialGamma(providerNet);
  reach += AMM_HEDGE_RATE * grossSize(ammNet) + providerRate * grossSize(providerNet);
  trialSlope = slope;
  trialReach = reach;
  return flow;
}

/** Σ|position| of dealer d: no price move can change its book delta by more (a delta moves within a unit). */
// @ts-ignore: decorator
@inline function bookSize(d: i32): f64 {
  let sum = 0.0;
  const base = d * POSITIONS_PER_DEALER;
  for (let j = 0; j < POSITIONS_PER_DEALER; j++) sum += Math.abs(unchecked(position[base + j]));
  return sum;
}

/** Dealers' own hedge flow at the committed price, and the AMM's: read by the engine after `commitHedges`. */
export let committedDealerFlow: f64 = 0;
export let committedAmmFlow: f64 = 0;

/**
 * Trade every hedge at the tick's solved price X along the line the solve used: each hedger
 * that traded in the last `trialFlow` (at price `at`, whose deltas and gammas `trialDelta`/
 * `trialGamma` still hold) trades its rate × (gap at `at` − book gamma × (X − at)) × `keep`
 * (the share of that line’s move the engine kept: 1 unless capped or beyond the hedgers’ reach); hedges held from the
 * open S to X are marked. Returns the net flow (units). Called once a tick the venue trades.
 */
export function commitHedges(at: f64, X: f64, S: f64, keep: f64): f64 {
  const move = X - S;
  const shift = (X - at) * keep;
  let flow = 0.0;
  for (let d = 0; d < count; d++) {
    const h = unchecked(hedge[d]);
    unchecked(pnl[d] += h * move);
    const gap = -bookDelta(d, trialDelta) - h;
    if (Math.abs(gap) > unchecked(band[d])) {
      const trade = unchecked(rate[d]) * (gap - bookDelta(d, trialGamma) * shift);
      unchecked(hedge[d] = h + trade);
      flow += trade;
    }
  }
  const providerRate = param(P.hedgeRate);
  const ammTrade = AMM_HEDGE_RATE * (-bookTrialDelta(ammNet) - ammHedge - bookTrialGamma(ammNet) * shift);
  const providerTrade = providerRate * (-bookTrialDelta(providerNet) - providerHedge - bookTrialGamma(providerNet) * shift);
  ammHedge += ammTrade;
  providerHedge += providerTrade;
  execPrice = X;
  committedDealerFlow = flow + providerTrade;
  committedAmmFlow = ammTrade;
  return flow + ammTrade + providerTrade;
}
