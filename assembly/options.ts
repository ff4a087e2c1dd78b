// The option series the dealers trade, read from the grid block JS writes (see
// src/model/option-grid.ts): type, strike ÷ spot, tenor in days, open-interest weight, which
// side customers hold, days to the first expiry. Greeks are computed once per series per price,
// never per dealer: a dealer's book delta is then a few lookups.
//
// Implied vol has a term structure: the engine's implied-vol state is the level of the shortest
// options; a series of T days moves √(TERM_REF_DAYS / T) as far from the baseline as that level
// (at most as far), so a volatility spike lifts short-dated options most, as in every crash.
import { P, GRID_STRIDE, MAX_OPTION_SERIES, TERM_REF_DAYS, MIN_IMPLIED_VOL, MAX_IMPLIED_VOL, FLIP_RANGE, FLIP_STEP, FLIP_REFINE, SPOT_VOL_BETA, PER_PERCENT } from './layout';
import { param } from './params';
import { dtYears, ticksPerDay } from './clock';
import { bsDeltaGamma, lastPrice, lastGamma, lastVega, SQRT_2PI } from './greeks';
import { exp2Lanes } from './simd-exp';

/** The grid block: written by JS through `gridPointer`, read by `initOptions`. */
export const gridBlock = new StaticArray<f64>(MAX_OPTION_SERIES * GRID_STRIDE);

export let count: i32 = 0;
let isCall = new StaticArray<bool>(0);
let moneyness = new StaticArray<f64>(0);
let tenorTicks = new StaticArray<i32>(0);
/** Customers hold the series long (they bought it); dealers then hold it short when gex = 0. */
export let customerLong = new StaticArray<bool>(0);
/** Running sum of the weights up to and including each series. */
export let cumulativeWeight = new StaticArray<f64>(0);
export let strike = new StaticArray<f64>(0);
export let expiryTick = new StaticArray<i32>(0);
/** Sum of every dealer's position in the series (contracts of one unit of the asset). */
export let dealerNet = new StaticArray<f64>(0);
/** The options AMM's position in the series. */
export let ammNet = new StaticArray<f64>(0);
/** Options other liquidity providers sold to dealers buying back (the vega loop): negative. */
export let providerNet = new StaticArray<f64>(0);
/** Implied vol of the series this tick (term structure). */
export let seriesVol = new StaticArray<f64>(0);
/** How far the series' vol moves with the short-dated level: √(TERM_REF_DAYS / T), at most 1. */
export let termWeight = new StaticArray<f64>(0);
export let price = new StaticArray<f64>(0);
/** Change of the series' value over the last tick (an expiring series settles at intrinsic value). */
export let priceChange = new StaticArray<f64>(0);
export let delta = new StaticArray<f64>(0);
export let gamma = new StaticArray<f64>(0);
export let vega = new StaticArray<f64>(0);
/** Delta and gamma at a trial price of the tick (see `greeksAt`). */
export let trialDelta = new StaticArray<f64>(0);
export let trialGamma = new StaticArray<f64>(0);

/** List the grid's `n` series at the start price. Called by `init`, after the clock. */
export function initOptions(n: i32): void {
  if (count != n) {
    count = n;
    isCall = new StaticArray<bool>(n);
    moneyness = new StaticArray<f64>(n);
    tenorTicks = new StaticArray<i32>(n);
    customerLong = new StaticArray<bool>(n);
    cumulativeWeight = new StaticArray<f64>(n);
    strike = new StaticArray<f64>(n);
    expiryTick = new StaticArray<i32>(n);
    dealerNet = new StaticArray<f64>(n);
    ammNet = new StaticArray<f64>(n);
    providerNet = new StaticArray<f64>(n);
    seriesVol = new StaticArray<f64>(n);
    termWeight = new StaticArray<f64>(n);
    price = new StaticArray<f64>(n);
    priceChange = new StaticArray<f64>(n);
    delta = new StaticArray<f64>(n);
    gamma = new StaticArray<f64>(n);
    vega = new StaticArray<f64>(n);
    trialDelta = new StaticArray<f64>(n);
    trialGamma = new StaticArray<f64>(n);
  }
  const S0 = param(P.price0);
  const perDay = <f64>ticksPerDay;
  let cumulative = 0.0;
  for (let s = 0; s < n; s++) {
    const base = s * GRID_STRIDE;
    cumulative += unchecked(gridBlock[base + 3]);
    unchecked(isCall[s] = unchecked(gridBlock[base]) == 1.0);
    unchecked(moneyness[s] = gridBlock[base + 1]);
    unchecked(tenorTicks[s] = max(1, <i32>Math.round(unchecked(gridBlock[base + 2]) * perDay)));
    unchecked(customerLong[s] = unchecked(gridBlock[base + 4]) == 1.0);
    unchecked(cumulativeWeight[s] = cumulative);
    unchecked(strike[s] = S0 * moneyness[s]);
    unchecked(expiryTick[s] = max(1, <i32>Math.round(unchecked(gridBlock[base + 5]) * perDay)));
    unchecked(dealerNet[s] = 0);
    unchecked(ammNet[s] = 0);
    unchecked(providerNet[s] = 0);
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

/** Implied vol of a series `ticksLeft` ticks from expiry when the short-dated level is `level`. */
// @ts-ignore: decorator
@inline function termVol(level: f64, ticksLeft: i32, s: i32): f64 {
  const days = <f64>ticksLeft / <f64>ticksPerDay;
  const w = Math.min(1.0, Math.sqrt(TERM_REF_DAYS / days));
  unchecked(termWeight[s] = w);
  const vol0 = param(P.vol0);
  return Math.min(MAX_IMPLIED_VOL, Math.max(MIN_IMPLIED_VOL, vol0 + (level - vol0) * w));
}

/**
 * The delta dealers hedge with: Black–Scholes delta plus vega × the expected move of implied vol
 * with spot, ∂σ/∂S = −SPOT_VOL_BETA·σ/S (vol rises as price falls): the minimum-variance delta
 * of Hull & White (2017). A put's hedge delta is more negative than its Black–Scholes delta, the
 * more so the higher implied vol, so dealers short puts sell more as vol rises. Uses `lastVega`.
 */
// @ts-ignore: decorator
@inline function hedgeDelta(bsDelta: f64, iv: f64, S: f64): f64 {
  return bsDelta - (lastVega * SPOT_VOL_BETA * iv) / S;
}

/**
 * Nobody holds an option in this run (no dealers, so no AMM book and no providers either: they
 * take only what dealers buy back). Then no Greek is ever read but to be multiplied by a zero
 * position, so none is computed: every figure of the book is 0 and the flip NaN, exactly as if
 * they were (the reference engine skips the same work). Set by `noteHolders` at init.
 */
let idle: bool = false;

/** Whether anyone holds any series, after the books are drawn. Called by `init`. */
export function noteHolders(): void {
  idle = true;
  for (let s = 0; s < count; s++) if (marketMakers(s) != 0) idle = false;
}

/** Roll expired series (same tenor, same moneyness on today's spot), then mark every series at S. Called every tick. */
export function priceOptions(S: f64, t: i32, level: f64): void {
  impliedLevel = level;
  pricedAt = S;
  pricedTick = t;
  if (idle) return;
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
    const ticksLeft = unchecked(expiryTick[s]) - t;
    const iv = termVol(level, ticksLeft, s);
    unchecked(seriesVol[s] = iv);
    const T = <f64>ticksLeft * dtYears;
    const bsDelta = bsDeltaGamma(unchecked(isCall[s]), S, unchecked(strike[s]), T, r, q, iv);
    unchecked(delta[s] = hedgeDelta(bsDelta, iv, S));
    // An expiring series settles at intrinsic value; its successor starts at the market price.
    unchecked(priceChange[s] = t == 0 ? 0.0 : (settled >= 0 ? settled : lastPrice) - price[s]);
    unchecked(price[s] = lastPrice);
    unchecked(gamma[s] = lastGamma);
    unchecked(vega[s] = lastVega);
  }
}

/** The short-dated implied-vol level the series were last priced at (see `priceOptions`) … */
export let impliedLevel: f64 = 0;
/** … and the price and tick. */
let pricedAt: f64 = NaN;
let pricedTick: i32 = -1;

/** Delta and gamma of every series at trial price X (this tick's time and vols) into `trialDelta`/`trialGamma`. Called a few times a tick. */
export function greeksAt(X: f64, t: i32): void {
  if (idle) return;
  if (X == pricedAt && t == pricedTick) {
    // The open's own Greeks (the first trial price is exp(ln S), most often S itself).
    for (let s = 0; s < count; s++) {
      unchecked(trialDelta[s] = delta[s]);
      unchecked(trialGamma[s] = gamma[s]);
    }
    return;
  }
  const r = param(P.rate);
  const q = param(P.dividend);
  for (let s = 0; s < count; s++) {
    const T = <f64>(unchecked(expiryTick[s]) - t) * dtYears;
    const iv = unchecked(seriesVol[s]);
    unchecked(trialDelta[s] = hedgeDelta(bsDeltaGamma(unchecked(isCall[s]), X, unchecked(strike[s]), T, r, q, iv), iv, X));
    unchecked(trialGamma[s] = lastGamma);
  }
}

/** Position of everyone who makes markets in the series: dealers, the AMM and the liquidity providers. */
// @ts-ignore: decorator
@inline function marketMakers(s: i32): f64 {
  return unchecked(dealerNet[s]) + unchecked(ammNet[s]) + unchecked(providerNet[s]);
}

/** GEX per 1% move at S of everyone who makes markets in the options, from the Greeks at S. Called every tick. */
export function gexAt(S: f64): f64 {
  let g = 0.0;
  for (let s = 0; s < count; s++) g += marketMakers(s) * unchecked(gamma[s]);
  return g * S * S * PER_PERCENT;
}

/** Market makers' vega per vol point, from the current Greeks. Called every tick. */
export function dealerVega(): f64 {
  let v = 0.0;
  for (let s = 0; s < count; s++) v += marketMakers(s) * unchecked(vega[s]);
  return v * PER_PERCENT;
}

/** Total vega per vol point of the customer book, whoever holds it: the scale of option demand. Called by `init`. */
export function bookVega(): f64 {
  let v = 0.0;
  for (let s = 0; s < count; s++) v += Math.abs(marketMakers(s)) * unchecked(vega[s]);
  return v * PER_PERCENT;
}

/** Net position × trial delta of a book held per series (the AMM's, the providers'). */
export function bookTrialDelta(net: StaticArray<f64>): f64 {
  let d = 0.0;
  for (let s = 0; s < count; s++) d += unchecked(net[s]) * unchecked(trialDelta[s]);
  return d;
}

/** Σ|position| of a book held per series. */
export function grossSize(net: StaticArray<f64>): f64 {
  let g = 0.0;
  for (let s = 0; s < count; s++) g += Math.abs(unchecked(net[s]));
  return g;
}

export function bookTrialGamma(net: StaticArray<f64>): f64 {
  let g = 0.0;
  for (let s = 0; s < count; s++) g += unchecked(net[s]) * unchecked(trialGamma[s]);
  return g;
}

/** The AMM's gross delta Σ|position × delta| at the tick's open. */
export function ammDeltaScale(): f64 {
  let d = 0.0;
  for (let s = 0; s < count; s++) d += Math.abs(unchecked(ammNet[s]) * unchecked(delta[s]));
  return d;
}

/** The gamma profile's per-series terms for the current tick (see `prepareProfile`), padded to an even count (the pad weighs 0). */
let profileLnStrike = new StaticArray<f64>(0);
let profileDrift = new StaticArray<f64>(0);
let profileVolSqrtT = new StaticArray<f64>(0);
let profileWeight = new StaticArray<f64>(0);
/** Each series' term of the profile at the price being evaluated. */
let profileTerms = new StaticArray<f64>(0);
let profileTick: i32 = -1;

/**
 * Cache what the gamma profile needs per series at tick t: GEX(P) = P·PER_PERCENT·Σ w·φ(d1(P)) with
 * w = position × e^(−qT)/(σ√T) and d1 = (ln P − ln K + (r − q + σ²/2)T)/(σ√T), so each price
 * costs one exp per series. Called before the profile is read at a new tick.
 */
function prepareProfile(t: i32): void {
  const padded = (count + 1) & ~1;
  if (profileLnStrike.length != padded) {
    profileLnStrike = new StaticArray<f64>(padded);
    profileDrift = new StaticArray<f64>(padded);
    profileVolSqrtT = new StaticArray<f64>(padded);
    profileWeight = new StaticArray<f64>(padded);
    profileTerms = new StaticArray<f64>(padded);
  }
  const r = param(P.rate);
  const q = param(P.dividend);
  for (let s = 0; s < count; s++) {
    const T = <f64>(unchecked(expiryTick[s]) - t) * dtYears;
    const sigma = unchecked(seriesVol[s]);
    const volSqrtT = sigma * Math.sqrt(T);
    unchecked(profileLnStrike[s] = Math.log(unchecked(strike[s])));
    unchecked(profileDrift[s] = (r - q + 0.5 * sigma * sigma) * T);
    unchecked(profileVolSqrtT[s] = volSqrtT);
    unchecked(profileWeight[s] = volSqrtT > 0 ? (marketMakers(s) * Math.exp(-q * T)) / (volSqrtT * SQRT_2PI) : 0.0);
  }
  profileTick = t;
}

/**
 * Market makers' GEX per 1% move if spot were P_, at time t and this tick's vols (the gamma
 * profile). Two series at a time (`exp2Lanes` is `Math.exp` lane by lane), their terms then
 * added in series order, so the sum is the scalar loop's to the bit; a series that weighs nothing
 * or lies beyond ±30 in d1 adds nothing (the density is zero there, as in normPdf: no subnormal terms).
 */
export function gexIfSpot(P_: f64, t: i32): f64 {
  if (profileTick != t) prepareProfile(t);
  const L = f64x2.splat(Math.log(P_));
  const half = f64x2.splat(-0.5);
  const limit = f64x2.splat(30.0);
  const zero = f64x2.splat(0.0);
  const pK = changetype<usize>(profileLnStrike);
  const pD = changetype<usize>(profileDrift);
  const pV = changetype<usize>(profileVolSqrtT);
  const pW = changetype<usize>(profileWeight);
  const pT = changetype<usize>(profileTerms);
  const end = <usize>profileWeight.length << 3;
  for (let o: usize = 0; o < end; o += 16) {
    const w = v128.load(pW + o);
    const d1 = f64x2.div(f64x2.add(f64x2.sub(L, v128.load(pK + o)), v128.load(pD + o)), v128.load(pV + o));
    const keep = v128.and(f64x2.ne(w, zero), f64x2.le(f64x2.abs(d1), limit));
    const density = exp2Lanes(f64x2.mul(f64x2.mul(half, d1), d1));
    v128.store(pT + o, v128.and(f64x2.mul(w, density), keep));
  }
  let g = 0.0;
  for (let s = 0; s < count; s++) g += load<f64>(pT + (<usize>s << 3));
  return g * P_ * PER_PERCENT;
}

/**
 * The gamma flip nearest S: the price where the gamma profile changes sign, searched in steps
 * of FLIP_STEP × S out to ±FLIP_RANGE (the upper side first at each step), narrowed by
 * FLIP_REFINE bisections and finished by linear interpolation (so a rounding-sized difference in
 * the profile moves the result by a rounding-sized amount). NaN when the profile keeps its sign
 * over the whole range. Called every tick, after the tick's trades.
 */
export function gammaFlip(S: f64, t: i32): f64 {
  if (idle) return NaN;
  profileTick = -1;
  const atSpot = gexIfSpot(S, t);
  if (atSpot == 0) return NaN;
  const steps = <i32>Math.round(FLIP_RANGE / FLIP_STEP);
  let inner = atSpot;
  let innerDown = atSpot;
  for (let k = 1; k <= steps; k++) {
    const up = S * (1.0 + FLIP_STEP * <f64>k);
    const gUp = gexIfSpot(up, t);
    if (gUp * atSpot <= 0) return refineFlip(S * (1.0 + FLIP_STEP * <f64>(k - 1)), inner, up, gUp, t);
    inner = gUp;
    const down = S * (1.0 - FLIP_STEP * <f64>k);
    const gDown = gexIfSpot(down, t);
    if (gDown * atSpot <= 0) return refineFlip(S * (1.0 - FLIP_STEP * <f64>(k - 1)), innerDown, down, gDown, t);
    innerDown = gDown;
  }
  return NaN;
}

/** Narrow a bracket [a, b] with profile values ga, gb of opposite signs (gb may be 0), then interpolate. */
function refineFlip(a: f64, ga: f64, b: f64, gb: f64, t: i32): f64 {
  for (let i = 0; i < FLIP_REFINE; i++) {
    const mid = 0.5 * (a + b);
    const gm = gexIfSpot(mid, t);
    if (gm * ga > 0) {
      a = mid;
      ga = gm;
    } else {
      b = mid;
      gb = gm;
    }
  }
  return ga == gb ? 0.5 * (a + b) : a + (b - a) * (ga / (ga - gb));
}
