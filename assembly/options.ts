// The option grid the dealers trade: strikes × tenors × {put, call}. Greeks are computed once
// per series per tick, never per dealer: a dealer's book delta is then a few lookups.
import { P, DT_YEARS, TICKS_PER_DAY, STRIKES, TENORS, OPTION_SERIES, moneyness, tenorDays } from './layout';
import { param } from './params';
import { bsDeltaGamma, lastGamma, lastVega } from './greeks';

export const strike = new StaticArray<f64>(OPTION_SERIES);
export const expiryTick = new StaticArray<i32>(OPTION_SERIES);
/** Sum of every dealer's position in the series (contracts of one unit of the asset). */
export const dealerNet = new StaticArray<f64>(OPTION_SERIES);
export const delta = new StaticArray<f64>(OPTION_SERIES);
export const gamma = new StaticArray<f64>(OPTION_SERIES);
export const vega = new StaticArray<f64>(OPTION_SERIES);

// @ts-ignore: decorator
@inline export function seriesIndex(tenor: i32, k: i32, isCall: bool): i32 {
  return (tenor * STRIKES + k) * 2 + (isCall ? 1 : 0);
}

// @ts-ignore: decorator
@inline function isCallSeries(s: i32): bool {
  return (s & 1) == 1;
}

/** List the grid at the start price. Called by `init`. */
export function initOptions(): void {
  const S0 = param(P.price0);
  for (let tenor = 0; tenor < TENORS; tenor++) {
    for (let k = 0; k < STRIKES; k++) {
      for (let type = 0; type < 2; type++) {
        const s = seriesIndex(tenor, k, type == 1);
        unchecked(strike[s] = S0 * moneyness(k));
        unchecked(expiryTick[s] = tenorDays(tenor) * TICKS_PER_DAY);
        unchecked(dealerNet[s] = 0);
      }
    }
  }
}

/** Roll expired series (same tenor, strike re-centred on spot), then price every series at S. */
export function priceOptions(S: f64, t: i32, iv: f64): void {
  const r = param(P.rate);
  const q = param(P.dividend);
  for (let s = 0; s < OPTION_SERIES; s++) {
    if (unchecked(expiryTick[s]) <= t) {
      const tenor = s / (STRIKES * 2);
      const k = (s / 2) % STRIKES;
      unchecked(expiryTick[s] += tenorDays(tenor) * TICKS_PER_DAY);
      unchecked(strike[s] = S * moneyness(k));
    }
    const T = <f64>(unchecked(expiryTick[s]) - t) * DT_YEARS;
    unchecked(delta[s] = bsDeltaGamma(isCallSeries(s), S, unchecked(strike[s]), T, r, q, iv));
    unchecked(gamma[s] = lastGamma);
    unchecked(vega[s] = lastVega);
  }
}

/** Dealers' dollar gamma per 1% move at S, from the current Greeks. */
export function gexAt(S: f64): f64 {
  let g = 0.0;
  for (let s = 0; s < OPTION_SERIES; s++) g += unchecked(dealerNet[s]) * unchecked(gamma[s]);
  return g * S * S * 0.01;
}

/** Dealers' vega per vol point, from the current Greeks. */
export function dealerVega(): f64 {
  let v = 0.0;
  for (let s = 0; s < OPTION_SERIES; s++) v += unchecked(dealerNet[s]) * unchecked(vega[s]);
  return v * 0.01;
}

/** Dealers' GEX per 1% move if spot were P, at time t and implied vol iv (the gamma profile). */
export function gexIfSpot(P_: f64, t: i32, iv: f64): f64 {
  const r = param(P.rate);
  const q = param(P.dividend);
  let g = 0.0;
  for (let s = 0; s < OPTION_SERIES; s++) {
    const net = unchecked(dealerNet[s]);
    if (net == 0) continue;
    const T = <f64>(unchecked(expiryTick[s]) - t) * DT_YEARS;
    bsDeltaGamma(isCallSeries(s), P_, unchecked(strike[s]), T, r, q, iv);
    g += net * lastGamma;
  }
  return g * P_ * P_ * 0.01;
}
