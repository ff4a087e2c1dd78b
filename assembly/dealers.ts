// Option dealers: each holds a few option positions, an underlying hedge, a hedge band, a
// participation rate, capital and running P&L. Two aggregate books hedge beside them: the options
// AMM, when it holds a share of the book, and the liquidity providers who sold options to dealers
// buying back (the vega loop).
//
// Hedges trade at the tick's own price: the engine solves for the price with the hedges in it,
// asking the dealers' flow at trial prices and finally `commitHedges(X)` (see assembly/engine.ts).
//
// A dealer's P&L is kept as cash: P&L = cash + Σ position × (the series' cumulative value
// change) + hedge × (hedge mark − start price), so a dealer that does not trade is not touched
// when the price moves (its P&L moves by itself). The reference engine keeps it the same way.
//
// Layout, for streaming: one 80-byte record a dealer (its four series ids, four positions,
// hedge, cash, capital, band and rate), so a pass over the dealers reads one contiguous block;
// and one 32-byte row a series ([cumulative change, vega, trial delta, trial gamma]), so a book's
// sums are four pairs of 16-byte loads from a table that stays in the first-level cache. A tick
// makes two passes over every dealer: `markAndBuyBack` marks each book at the open, buys back for
// those past their loss limit and, in the same pass, tests each against its band at the first
// trial price (the open: the engine computes that trial's Greeks first); `trialFlow` tests them at
// the second. `commitHedges` then touches only the dealers out of their band. Every sum runs over
// the dealers in order, as the reference engine's (src/model/reference/dealers.ts) separate passes
// run, so the two agree bit for bit (test/differential).
import { P, POSITIONS_PER_DEALER, SIZE_SIGMA, BUYBACK_RATE, AMM_HEDGE_RATE, PER_PERCENT, POSITION_DUST, lognormalFactor } from './layout';
import { param } from './params';
import { Rng } from './rng';
import {
  dealerNet, ammNet, providerNet, customerLong, delta, vega, termWeight, priceChange, trialDelta, trialGamma,
  drawSeries, bookTrialDelta, bookTrialGamma, grossSize,
} from './options';

// A dealer's record: byte offsets.
const RECORD: usize = 80;
const SERIES_AT: usize = 0;
const POSITIONS_AT: usize = 8;
const HEDGE_AT: usize = 40;
const CASH_AT: usize = 48;
const CAPITAL_AT: usize = 56;
const BAND_AT: usize = 64;
const RATE_AT: usize = 72;
// A series' row in the table: [cumulative change, vega] then [trial delta, trial gamma].
const ROW_SHIFT: usize = 5;
const TRIAL_AT: usize = 16;

let count: i32 = 0;
/** The dealers' records (RECORD bytes each). */
let records = new StaticArray<u8>(0);
/** Dealers past their loss limit this tick (indices), and what each bought back of each position. */
let stressed = new StaticArray<i32>(0);
let boughtBack = new StaticArray<f64>(0);
/** Dealers out of their band at the last trial price, their gap and book gamma there: what `commitHedges` trades. */
let actives = new StaticArray<i32>(0);
let activeGap = new StaticArray<f64>(0);
let activeGamma = new StaticArray<f64>(0);
let activeCount: i32 = 0;

let ammHedge: f64 = 0;
let providerHedge: f64 = 0;
/** The price hedges are marked from: P&L counts the hedge × (mark − origin), the mark being the open, then the price the hedges traded at. */
let origin: f64 = 0;
/** Mean contracts per position at the draw: the scale below which a bought-back position is closed. */
let contracts: f64 = 0;

/** Cumulative value change of one contract of each series (an expiring series settles at intrinsic value). */
let cumulative = new StaticArray<f64>(0);
/** Per series, 32 bytes: cumulative change and vega (the open's), trial delta and gamma (the trial's). */
let table = new StaticArray<f64>(0);

// Data pointers of the arrays above, set whenever they are allocated. The hot loops read and
// write through them: an access through a managed reference costs a shadow-stack store in the
// incremental runtime, every time.
let pRecords: usize = 0;
let pStressed: usize = 0;
let pBought: usize = 0;
let pActives: usize = 0;
let pActiveGap: usize = 0;
let pActiveGamma: usize = 0;
let pTable: usize = 0;

/** Vega (per vol point) dealers bought back this tick: option demand. */
export let demandVega: f64 = 0;
/** The AMM's hedge gap at the tick's open. */
export let ammGap: f64 = 0;
/** The hedgers' flow (units, + buys) at the last trial price … */
export let trialFlowAt: f64 = 0;
/** … d flow / dX there … */
export let trialSlope: f64 = 0;
/** … and the most the flow can move from its value there, whatever the price: Σ rate × |position|. */
export let trialReach: f64 = 0;

// @ts-ignore: decorator
@inline function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function setF64(p: usize, i: i32, x: f64): void {
  store<f64>(p + (<usize>i << 3), x);
}

// @ts-ignore: decorator
@inline function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function setI32(p: usize, i: i32, x: i32): void {
  store<i32>(p + (<usize>i << 2), x);
}

/** Dealer d's record. */
// @ts-ignore: decorator
@inline function rec(d: i32): usize {
  return pRecords + <usize>d * RECORD;
}

// @ts-ignore: decorator
@inline function seriesOf(r: usize, j: i32): i32 {
  return <i32>load<u16>(r + SERIES_AT + (<usize>j << 1));
}

// @ts-ignore: decorator
@inline function positionOf(r: usize, j: i32): f64 {
  return load<f64>(r + POSITIONS_AT + (<usize>j << 3));
}

function point(): void {
  pRecords = changetype<usize>(records);
  pStressed = changetype<usize>(stressed);
  pBought = changetype<usize>(boughtBack);
  pActives = changetype<usize>(actives);
  pActiveGap = changetype<usize>(activeGap);
  pActiveGamma = changetype<usize>(activeGamma);
  pTable = changetype<usize>(table);
}

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
  if (records.length != count * <i32>RECORD) {
    records = new StaticArray<u8>(count * <i32>RECORD);
    stressed = new StaticArray<i32>(count);
    boughtBack = new StaticArray<f64>(count * POSITIONS_PER_DEALER);
    actives = new StaticArray<i32>(count);
    activeGap = new StaticArray<f64>(count);
    activeGamma = new StaticArray<f64>(count);
  }
  const n = ammNet.length;
  if (cumulative.length != n) {
    cumulative = new StaticArray<f64>(n);
    table = new StaticArray<f64>(4 * n);
  }
  point();
  for (let s = 0; s < n; s++) unchecked(cumulative[s] = 0);
  const g = param(P.gex);
  const ammShare = param(P.ammShare);
  const dealerShare = 1.0 - ammShare;
  const signBought = dealerSign(g, true);
  const signSold = dealerSign(g, false);
  const hedgeBand = param(P.hedgeBand);
  const hedgeRate = param(P.hedgeRate);
  const capitalEach = count > 0 ? param(P.dealerCapital) / <f64>count : 0.0;
  contracts = count > 0 ? param(P.optionOI) / (<f64>POSITIONS_PER_DEALER * <f64>count * param(P.price0)) : 0.0;
  for (let d = 0; d < count; d++) {
    const r = rec(d);
    let book = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      // A position lands in a series with probability proportional to its open interest.
      const s = drawSeries(rng.uniform());
      const size = contracts * lognormalFactor(SIZE_SIGMA, rng.normal());
      const sign = unchecked(customerLong[s]) ? signBought : signSold;
      // The customer book is the same whoever holds it; an options AMM takes its share.
      const pos = dealerShare * sign * size;
      store<u16>(r + SERIES_AT + (<usize>j << 1), <u16>s);
      store<f64>(r + POSITIONS_AT + (<usize>j << 3), pos);
      unchecked(dealerNet[s] += pos);
      unchecked(ammNet[s] += ammShare * sign * size);
      book += Math.abs(pos);
    }
    store<f64>(r + BAND_AT, hedgeBand * book * (0.5 + rng.uniform()));
    store<f64>(r + RATE_AT, Math.min(1.0, hedgeRate * (0.5 + rng.uniform())));
    store<f64>(r + CAPITAL_AT, capitalEach * (0.5 + rng.uniform()));
    store<f64>(r + CASH_AT, 0);
    store<f64>(r + HEDGE_AT, 0);
  }
  activeCount = 0;
}

/**
 * Σ position × row[series] over the book in record r, for the pair of table values at byte
 * `lane` of each row: both sums at once (lane 0, lane 1), each added in position order from 0,
 * as a plain loop over the positions would add it.
 */
// @ts-ignore: decorator
@inline function bookPair(r: usize, lane: usize): v128 {
  const rows = pTable + lane;
  let acc = f64x2.splat(0);
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(r, POSITIONS_AT)), v128.load(rows + (<usize>load<u16>(r, SERIES_AT) << ROW_SHIFT))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(r, POSITIONS_AT + 8)), v128.load(rows + (<usize>load<u16>(r, SERIES_AT + 2) << ROW_SHIFT))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(r, POSITIONS_AT + 16)), v128.load(rows + (<usize>load<u16>(r, SERIES_AT + 4) << ROW_SHIFT))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(r, POSITIONS_AT + 24)), v128.load(rows + (<usize>load<u16>(r, SERIES_AT + 6) << ROW_SHIFT))));
  return acc;
}

/** Σ|position| of the book in record r: no price move can change its book delta by more (a delta moves within a unit). */
// @ts-ignore: decorator
@inline function bookSize(r: usize): f64 {
  return Math.abs(load<f64>(r, POSITIONS_AT)) + Math.abs(load<f64>(r, POSITIONS_AT + 8)) + Math.abs(load<f64>(r, POSITIONS_AT + 16)) + Math.abs(load<f64>(r, POSITIONS_AT + 24));
}

/** Start every dealer and the AMM delta-neutral at the current Greeks, at price S. Called by `init`. */
export function neutralizeDealers(S: f64): void {
  const n = ammNet.length;
  for (let s = 0; s < n; s++) {
    setF64(pTable, 4 * s + 2, unchecked(delta[s]));
    setF64(pTable, 4 * s + 3, 0);
  }
  for (let d = 0; d < count; d++) {
    const r = rec(d);
    store<f64>(r + HEDGE_AT, -f64x2.extract_lane(bookPair(r, TRIAL_AT), 0));
  }
  let amm = 0.0;
  for (let s = 0; s < n; s++) amm += unchecked(ammNet[s]) * unchecked(delta[s]);
  ammHedge = -amm;
  providerHedge = 0;
  origin = S;
}

/** Copy the trial Greeks (`trialDelta`/`trialGamma`, at the trial price) into the table. */
function tableTrial(): void {
  const n = cumulative.length;
  for (let s = 0; s < n; s++) {
    setF64(pTable, 4 * s + 2, unchecked(trialDelta[s]));
    setF64(pTable, 4 * s + 3, unchecked(trialGamma[s]));
  }
}

// The band test's running sums over the dealers, in dealer order (see `bandTest`).
let flowSum: f64 = 0;
let slopeSum: f64 = 0;
let reachSum: f64 = 0;

/**
 * Dealer d (record r) against its band at the trial price, its book's trial sums in `pair`: out
 * of it, it joins the actives with its rate × gap, and its flow, slope and reach add up.
 */
// @ts-ignore: decorator
@inline function bandTest(d: i32, r: usize, pair: v128, active: i32): i32 {
  const gap = -f64x2.extract_lane(pair, 0) - load<f64>(r, HEDGE_AT);
  if (!(Math.abs(gap) > load<f64>(r, BAND_AT))) return active;
  const rate = load<f64>(r, RATE_AT);
  const bg = f64x2.extract_lane(pair, 1);
  flowSum += rate * gap;
  slopeSum -= rate * bg;
  reachSum += rate * bookSize(r);
  setI32(pActives, active, d);
  setF64(pActiveGap, active, gap);
  setF64(pActiveGamma, active, bg);
  return active + 1;
}

/** Add the AMM's and the providers' lines to the dealers' sums; set the trial's results. */
function closeTrial(active: i32): void {
  activeCount = active;
  const providerRate = param(P.hedgeRate);
  trialFlowAt = flowSum + (AMM_HEDGE_RATE * (-bookTrialDelta(ammNet) - ammHedge) + providerRate * (-bookTrialDelta(providerNet) - providerHedge));
  trialSlope = slopeSum - (AMM_HEDGE_RATE * bookTrialGamma(ammNet) + providerRate * bookTrialGamma(providerNet));
  trialReach = reachSum + (AMM_HEDGE_RATE * grossSize(ammNet) + providerRate * grossSize(providerNet));
}

/**
 * Mark every book to the tick's open S (option value changes, expiry settlement, the hedge); a
 * dealer short vega and past its loss limit buys back a share of each short position from other
 * liquidity providers, paying the price at the implied vol its demand lifts: `liftPerVega` is
 * the vol added per unit of vega bought. Records `demandVega` and the AMM's gap. With `trial`,
 * the same pass is the first trial of the hedgers' flow, at the price whose Greeks `trialDelta`/
 * `trialGamma` hold (the engine's first trial price; see `trialFlow` for what it leaves). Called
 * every tick, after `priceOptions`.
 */
export function markAndBuyBack(S: f64, liftPerVega: f64, trial: bool): void {
  const lossLimit = param(P.lossLimit);
  const n = cumulative.length;
  for (let s = 0; s < n; s++) {
    const c = unchecked(cumulative[s]) + unchecked(priceChange[s]);
    unchecked(cumulative[s] = c);
    setF64(pTable, 4 * s, c);
    setF64(pTable, 4 * s + 1, unchecked(vega[s]));
  }
  if (trial) tableTrial();
  const mark = S - origin;
  const dust = POSITION_DUST * contracts;
  demandVega = 0;
  flowSum = 0;
  slopeSum = 0;
  reachSum = 0;
  let stressedCount = 0;
  let active = 0;
  for (let d = 0; d < count; d++) {
    const r = rec(d);
    // The book's value and vega at once: lane 0 is Σ position × cumulative change, lane 1 Σ position × vega.
    const book = bookPair(r, 0);
    const total = load<f64>(r, CASH_AT) + f64x2.extract_lane(book, 0) + load<f64>(r, HEDGE_AT) * mark;
    // Most dealers are within their limit; of the others, only those short vega buy back.
    if (!(total >= -lossLimit * load<f64>(r, CAPITAL_AT)) && !(f64x2.extract_lane(book, 1) >= 0)) {
      const k = stressedCount++;
      setI32(pStressed, k, d);
      for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
        const pos = positionOf(r, j);
        let bought = 0.0;
        if (pos < 0) {
          const s = seriesOf(r, j);
          demandVega += -pos * BUYBACK_RATE * unchecked(vega[s]) * PER_PERCENT;
          bought = -pos * BUYBACK_RATE;
          // A position bought back to dust is closed (no subnormal positions).
          if (Math.abs(pos + bought) < dust) bought = -pos;
          store<f64>(r + POSITIONS_AT + (<usize>j << 3), pos + bought);
          unchecked(dealerNet[s] += bought);
          unchecked(providerNet[s] -= bought);
        }
        setF64(pBought, k * POSITIONS_PER_DEALER + j, bought);
      }
    }
    if (trial) active = bandTest(d, r, bookPair(r, TRIAL_AT), active);
  }
  // The tick's demand lifts implied vol; every buyer pays for what it buys at the lifted vol.
  const lift = liftPerVega * demandVega;
  for (let k = 0; k < stressedCount; k++) {
    const r = rec(i32At(pStressed, k));
    let cost = 0.0;
    let K = load<f64>(r, CASH_AT);
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      const bought = f64At(pBought, k * POSITIONS_PER_DEALER + j);
      if (bought == 0) continue;
      const s = seriesOf(r, j);
      cost += bought * unchecked(vega[s]) * lift * unchecked(termWeight[s]);
      // The position's value moves from the dealer's options to its cash.
      K -= bought * unchecked(cumulative[s]);
    }
    store<f64>(r + CASH_AT, K - cost);
  }
  let amm = 0.0;
  for (let s = 0; s < ammNet.length; s++) amm += unchecked(ammNet[s]) * unchecked(delta[s]);
  ammGap = -amm - ammHedge;
  if (trial) closeTrial(active);
}

/**
 * Net hedge flow (units, + buys) of dealers, the AMM and the providers if the tick's price were
 * X, with `trialDelta`/`trialGamma` at X, in `trialFlowAt`; leaves d flow / dX in `trialSlope`
 * and how far the flow can move in `trialReach`, and the dealers out of their band for
 * `commitHedges`. Called for each trial price after the first (which `markAndBuyBack` makes).
 */
export function trialFlow(): void {
  tableTrial();
  flowSum = 0;
  slopeSum = 0;
  reachSum = 0;
  let active = 0;
  for (let d = 0; d < count; d++) {
    const r = rec(d);
    active = bandTest(d, r, bookPair(r, TRIAL_AT), active);
  }
  closeTrial(active);
}

/** Dealers' own hedge flow at the committed price, and the AMM's: read by the engine after `commitHedges`. */
export let committedDealerFlow: f64 = 0;
export let committedAmmFlow: f64 = 0;

/**
 * Trade every hedge at the tick's solved price X along the line the solve used: each hedger
 * that traded in the last trial (at price `at`, whose deltas and gammas `trialDelta`/
 * `trialGamma` still hold) trades its rate × (gap at `at` − book gamma × (X − at)) × `keep`
 * (the share of that line’s move the engine kept: 1 unless capped or beyond the hedgers’ reach); hedges held from the
 * open S to X are marked (the hedge mark moves to X). Returns the net flow (units). Called once a tick the venue trades.
 */
export function commitHedges(at: f64, X: f64, S: f64, keep: f64): f64 {
  const shift = (X - at) * keep;
  const mark = X - origin;
  let flow = 0.0;
  for (let k = 0; k < activeCount; k++) {
    const r = rec(i32At(pActives, k));
    const h = load<f64>(r, HEDGE_AT);
    const trade = load<f64>(r, RATE_AT) * (f64At(pActiveGap, k) - f64At(pActiveGamma, k) * shift);
    store<f64>(r + HEDGE_AT, h + trade);
    store<f64>(r + CASH_AT, load<f64>(r, CASH_AT) - trade * mark);
    flow += trade;
  }
  const providerRate = param(P.hedgeRate);
  const ammTrade = AMM_HEDGE_RATE * (-bookTrialDelta(ammNet) - ammHedge - bookTrialGamma(ammNet) * shift);
  const providerTrade = providerRate * (-bookTrialDelta(providerNet) - providerHedge - bookTrialGamma(providerNet) * shift);
  ammHedge += ammTrade;
  providerHedge += providerTrade;
  committedDealerFlow = flow + providerTrade;
  committedAmmFlow = ammTrade;
  return flow + ammTrade + providerTrade;
}

/** Whether x is subnormal (nonzero and below the smallest normal f64): far slower to compute with. */
// @ts-ignore: decorator
@inline function subnormal(x: f64): bool {
  return x != 0 && Math.abs(x) < 2.2250738585072014e-308;
}

/**
 * How many subnormal numbers the dealers' state holds (positions, hedges, cash, the aggregate
 * hedges and the series' cumulative changes): zero, or long runs slow down many times over.
 * Called by the tests.
 */
export function dealerSubnormals(): i32 {
  let n = 0;
  for (let d = 0; d < count; d++) {
    const r = rec(d);
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) if (subnormal(positionOf(r, j))) n++;
    if (subnormal(load<f64>(r, HEDGE_AT))) n++;
    if (subnormal(load<f64>(r, CASH_AT))) n++;
  }
  for (let s = 0; s < cumulative.length; s++) if (subnormal(unchecked(cumulative[s]))) n++;
  if (subnormal(ammHedge)) n++;
  if (subnormal(providerHedge)) n++;
  return n;
}
