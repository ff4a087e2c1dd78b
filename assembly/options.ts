// The option series the dealers trade, read from the grid block JS writes (see
// src/model/option-grid.ts): type, strike ÷ spot, days to expiry, open-interest weight. Greeks
// are computed once per series per tick, never per dealer: a dealer's book delta is then a few
// lookups.
import { P, DT_YEARS, TICKS_PER_DAY, GRID_STRIDE, MAX_OPTION_SERIES, PER_PERCENT } from './layout';
import { param } from './params';
import { bsDeltaGamma, lastPrice, lastGamma, lastVega } from './greeks';

/** The grid block: written by JS through `gridPointer`, read by `initOptions`. */
export const gridBlock = new StaticArray<f64>(MAX_OPTION_SERIES * GRID_STRIDE);

export let count: i32 = 0;
let isCall = new StaticArray<bool>(0);
let moneyness = new StaticArray<f64>(0);
let tenorTicks = new StaticArray<i32>(0);
/** Running sum of the weights up to and including each series. */
export let cumulativeWeight = new StaticArray<f64>(0);
export let strike = new StaticArray<f64>(0);
export let expiryTick = new StaticArray<i32>(0);
/** Sum of every dealer's position in the series (contracts of one unit of the asset). */
export let dealerNet = new StaticArray<f64>(0);
/** The options AMM's position in the series. */
export let ammNet = new StaticArray<f64>(0);
export let price = new StaticArray<f64>(0);
/** Change of the series' value over the last tick (an expiring series settles at intrinsic value). */
export let priceChange = new StaticArray<f64>(0);
export let delta = new StaticArray<f64>(0);
export let gamma = new StaticArray<f64>(0);
export let vega = new StaticArray<f64>(0);

/** List the grid's `n` series at the start price. Called by `init`. */
export function initOptions(n: i32): void {
  if (count != n) {
    count = n;
    isCall = new StaticArray<bool>(n);
    moneyness = new StaticArray<f64>(n);
    tenorTicks = new StaticArray<i32>(n);
    cumulativeWeight = new StaticArray<f64>(n);
    strike = new StaticArray<f64>(n);
    expiryTick = new StaticArray<i32>(n);
    dealerNet = new StaticArray<f64>(n);
    ammNet = new StaticArray<f64>(n);
    price = new StaticArray<f64>(n);
    priceChange = new StaticArray<f64>(n);
    delta = new StaticArray<f64>(n);
    gamma = new StaticArray<f64>(n);
    vega = new StaticArray<f64>(n);
  }
  const S0 = param(P.price0);
  let cumulative = 0.0;
  for (let s = 0; s < n; s++) {
    const base = s * GRID_STRIDE;
    const ticksToExpiry = max(1, <i32>Math.round(unchecked(gridBlock[base + 2]) * <f64>TICKS_PER_DAY));
    cumulative += unchecked(gridBlock[base + 3]);
    unchecked(isCall[s] = unchecked(gridBlock[base]) == 1.0);
    unchecked(moneyness[s] = gridBlock[base + 1]);
    unchecked(tenorTicks[s] = ticksToExpiry);
    unchecked(cumulativeWeight[s] = cumulative);
    unchecked(strike[s] = S0 * moneyness[s]);
    unchecked(expiryTick[s] = ticksToExpiry);
    unchecked(dealerNet[s] = 0);
    unchecked(ammNet[s] = 0);
    unchecked(price[s] = 0);
  }
}

/** The series a uniform draw u lands in: the first whose running weight exceeds u × total. */
export function drawSeries(u: f64): i32 {
  const target = u * unchecked(cumulativeWeight[count - 1]);
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (unchecked(cumulativeWeight[mid]) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Roll expired series (same tenor, same moneyness on today's spot), then mark every series at S. Called every tick. */
export function priceOptions(S: f64, t: i32, iv: f64): void {
  const r = param(P.rate);
  const q = param(P.dividend);
  for (let s = 0; s < count; s++) {
    let settled = -1.0;
    if (unchecked(expiryTick[s]) <= t) {
      const K = unchecked(strike[s]);
      settled = max(0.0, unchecked(isCall[s]) ? S - K : K - S);
      unchecked(expiryTick[s] += tenorTicks[s]);
      unchecked(strike[s] = S * moneyness[s]);
    }
    const T = <f64>(unchecked(expiryTick[s]) - t) * DT_YEARS;
    unchecked(delta[s] = bsDeltaGamma(unchecked(isCall[s]), S, unchecked(strike[s]), T, r, q, iv));
    // An expiring series settles at intrinsic value; its successor starts at the market price.
    unchecked(priceChange[s] = t == 0 ? 0.0 : (settled >= 0 ? settled : lastPrice) - price[s]);
    unchecked(price[s] = lastPrice);
    unchecked(gamma[s] = lastGamma);
    unchecked(vega[s] = lastVega);
  }
}

/** GEX per 1% move at S of everyone who makes markets in the options (dealers and the AMM). Called every tick. */
export function gexAt(S: f64): f64 {
  let g = 0.0;
  for (let s = 0; s < count; s++) g += (unchecked(dealerNet[s]) + unchecked(ammNet[s])) * unchecked(gamma[s]);
  return g * S * S * PER_PERCENT;
}

/** Market makers' vega per vol point, from the current Greeks. Called every tick. */
export function dealerVega(): f64 {
  let v = 0.0;
  for (let s = 0; s < count; s++) v += (unchecked(dealerNet[s]) + unchecked(ammNet[s])) * unchecked(vega[s]);
  return v * PER_PERCENT;
}

/** Total vega per vol point of the customer book, whoever holds it: the scale of option demand. Called by `init`. */
export function bookVega(): f64 {
  let v = 0.0;
  for (let s = 0; s < count; s++) v += Math.abs(unchecked(dealerNet[s]) + unchecked(ammNet[s])) * unchecked(vega[s]);
  return v * PER_PERCENT;
}

/** The AMM's book delta. Called every tick. */
export function ammDelta(): f64 {
  let d = 0.0;
  for (let s = 0; s < count; s++) d += unchecked(ammNet[s]) * unchecked(delta[s]);
  return d;
}

/** The AMM's gross delta, Σ|position × delta|: the scale of its hedge gap. Called every tick. */
export function ammDeltaScale(): f64 {
  let d = 0.0;
  for (let s = 0; s < count; s++) d += Math.abs(unchecked(ammNet[s]) * unchecked(delta[s]));
  return d;
}

/** Dealers' GEX per 1% move if spot were P_, at time t and implied vol iv (the gamma profile). */
export function gexIfSpot(P_: f64, t: i32, iv: f64): f64 {
  const r = param(P.rate);
  const q = param(P.dividend);
  let g = 0.0;
  for (let s = 0; s < count; s++) {
    const net = unchecked(dealerNet[s]) + unchecked(ammNet[s]);
    if (net == 0) continue;
    const T = <f64>(unchecked(expiryTick[s]) - t) * DT_YEARS;
    bsDeltaGamma(unchecked(isCall[s]), P_, unchecked(strike[s]), T, r, q, iv);
    g += net * lastGamma;
  }
  return g * P_ * P_ * PER_PERCENT;
}
