// Option dealers: each holds a few option positions, an underlying hedge, a hedge band, a
// participation rate, capital and running P&L. Structure of arrays, allocated once per size.
// Two aggregate books hedge beside them: the options AMM, when it holds a share of the book,
// and the liquidity providers who sold options to dealers buying back (the vega loop).
//
// Hedges trade at the tick's own price: the engine solves for the price with the hedges in it,
// asking `trialFlow(X)` at trial prices and finally `commitHedges(X)` (see assembly/engine.ts).
//
// A dealer's P&L is kept as cash: P&L = cash + Σ position × (the series' cumulative value
// change) + hedge × (hedge mark − start price), so a dealer that does not trade is not touched
// when the price moves (its P&L moves by itself). The reference engine keeps it the same way.
//
// Screening. A tick asks every dealer three questions — past its loss limit at the open? out of
// its hedge band at the first trial price? at the second? — and most answers do not change from
// one tick to the next. Each is answered exactly for the dealers whose answer may have changed,
// and skipped, provably, for the others:
//
//   * An *anchor* fixes, at a trial price X0, tick t0 and implied-vol level σ0, every series'
//     hedge delta δ0, gamma γ0, speed γ', and how its hedge delta moves with the level (λ) and
//     with time (τ); and its value's slope, cumulative change C0 and vega (ν). Against them each
//     dealer's book is summed once (D = Σ position·δ0, Γ = Σ position·γ0, …, B = Σ|position|).
//   * At a price X0 + u, level σ0 + v and tick t0 + k a series' hedge delta is
//     δ0 + γ0·u + γ'·u²/2 + λ·v + τ·k + r, and |r| ≤ R, the largest residual over the series
//     the dealers hold — a number computed from the series alone. So a dealer's hedge gap lies
//     within B·R of G − Γ·u − Γ'·u²/2 − Λ·v − Θ·k (G = −D − hedge), and likewise its P&L at the
//     open within B·W of a quadratic in the price plus N·v.
//   * Each dealer carries those coefficients in single precision, rounded the safe way, beside
//     its band and loss headroom less every rounding margin. A vector pass tests four dealers at
//     a time; only those it cannot clear are evaluated exactly, in dealer order.
//
// A skipped dealer is one whose exact evaluation would change nothing (inside its band; above its
// loss limit) and the sums run over the evaluated dealers in dealer order, so the results are
// those of evaluating every dealer every time, bit for bit (test/unit/engine/screening.test.ts
// runs both ways on every preset). A new anchor is set when the evaluations the screens cannot
// spare cost more, tick by tick, than anchoring again would.
//
// Measured, the screens do not pay yet: on 1M dealers they evaluate 10–16% of the dealer ×
// pass visits but a tick takes as long as or longer than evaluating all (the scans stream ten
// single-precision arrays, the evaluations they leave scatter, anchors re-sum every book), so
// they are off by default (`setScreening`) and `npm run bench` reports both ways.
import { P, POSITIONS_PER_DEALER, SIZE_SIGMA, BUYBACK_RATE, AMM_HEDGE_RATE, PER_PERCENT, POSITION_DUST, lognormalFactor } from './layout';
import { param } from './params';
import { Rng } from './rng';
import {
  dealerNet, ammNet, providerNet, customerLong, delta, valueDelta, vega, termWeight, priceChange, trialDelta, trialGamma,
  drawSeries, bookTrialDelta, bookTrialGamma, grossSize, impliedLevel, anchorSensitivities,
} from './options';

let count: i32 = 0;
/** `count` rounded up to a multiple of 4: the screens are read four dealers at a time. */
let padded: i32 = 0;
/** Series of each position (POSITIONS_PER_DEALER per dealer). */
let series = new StaticArray<u16>(0);
let position = new StaticArray<f64>(0);
let hedge = new StaticArray<f64>(0);
/** P&L = cash + Σ position × cumulative[series] + hedge × (hedge mark − origin). */
let cash = new StaticArray<f64>(0);
let band = new StaticArray<f64>(0);
let rate = new StaticArray<f64>(0);
let capital = new StaticArray<f64>(0);
/** Dealers past their loss limit this tick (indices), for the second half of `markAndBuyBack`. */
let stressed = new StaticArray<i32>(0);
/** Dealers out of their band at the last trial price, their gap and book gamma there: what `commitHedges` trades. */
let actives = new StaticArray<i32>(0);
let activeGap = new StaticArray<f64>(0);
let activeGamma = new StaticArray<f64>(0);
let activeCount: i32 = 0;
/** Dealers a screen could not clear, in order: the ones to evaluate. */
let candidates = new StaticArray<i32>(0);

let ammHedge: f64 = 0;
let providerHedge: f64 = 0;
/** The price hedges are marked from: P&L counts the hedge × (mark − origin), the mark being the open, then the price the hedges traded at. */
let origin: f64 = 0;
/** Mean contracts per position at the draw: the scale below which a bought-back position is closed. */
let contracts: f64 = 0;

/** Cumulative value change of one contract of each series (an expiring series settles at intrinsic value). */
let cumulative = new StaticArray<f64>(0);
/** Per series, interleaved: trial hedge delta and gamma (the evaluation in progress); cumulative change and vega (the open's). */
let packed = new StaticArray<f64>(0);
let marks = new StaticArray<f64>(0);
/** Whether any dealer holds the series (only those bound the residuals). */
let held = new StaticArray<bool>(0);

// ── The anchor ─────────────────────────────────────────────────────────────────────────
let anchored: bool = false;
let anchorPrice: f64 = 0;
/** The anchor's hedge mark − origin. */
let anchorMark: f64 = 0;
let anchorTick: i32 = 0;
let anchorLevel: f64 = 0;
/** Per series, interleaved pairs: [δ0, γ0], [γ', λ], [τ, value slope], [C0, ν]. */
let fitDelta = new StaticArray<f64>(0);
let fitCurve = new StaticArray<f64>(0);
let fitDrift = new StaticArray<f64>(0);
let fitValue = new StaticArray<f64>(0);
/** Scratch for `anchorSensitivities`: γ', λ, τ, ν per series. */
let sensitivities = new StaticArray<f64>(0);
/** Largest |C0| over the held series: the scale of the P&L margins. */
let valueScale: f64 = 0;

/** The bounds the margins are sized for: an anchor's screens serve only within them. */
const OFFSET_SHARE: f64 = 0.25;
const MAX_LEVEL_SHIFT: f64 = 1.0;
const MAX_AGE: i32 = 4096;
let maxOffset: f64 = 0;

/**
 * Per dealer, against the anchor: D = Σ position·δ0, Γ = Σ position·γ0, Γ' = Σ position·γ',
 * Λ = Σ position·λ, Θ = Σ position·τ, V = Σ position × value slope, Q = Σ position·C0,
 * N = Σ position·ν, B = Σ|position|.
 */
let sumDelta = new StaticArray<f64>(0);
let sumGamma = new StaticArray<f64>(0);
let sumSpeed = new StaticArray<f64>(0);
let sumLevel = new StaticArray<f64>(0);
let sumDrift = new StaticArray<f64>(0);
let sumSlope = new StaticArray<f64>(0);
let sumValue = new StaticArray<f64>(0);
let sumVega = new StaticArray<f64>(0);
let gross = new StaticArray<f64>(0);
/**
 * The parts of a dealer's band room and loss room that depend on its book and the anchor, not on
 * its hedge and cash: its band less every margin but the hedge's, and Q − limit less the same.
 */
let bandBase = new StaticArray<f64>(0);
let lossBase = new StaticArray<f64>(0);

// ── The screens (single precision, four dealers a read) ───────────────────────────────
// With u the price's offset from the anchor, v the level's, k the ticks since it, R and W the
// residuals:
// Band: inside its band if |G − (Γu + Γ'u²/2 + Λv + Θk)| + B·R ≤ bandRoom.
// Loss: above its loss limit at the open if lossRoom + lossSlope·u + Γu²/2 + N·v − B·W ≥ 0.
// The rooms already hold κ × the largest each term can be within the anchor's bounds, which
// covers the rounding of the single-precision tests.
// bandRoom = −∞ / lossRoom = −∞: evaluate every time; lossRoom = +∞: never stressed (no short
// position, so never short vega).
let screenGap = new StaticArray<f32>(0);
let screenGamma = new StaticArray<f32>(0);
let screenSpeed = new StaticArray<f32>(0);
let screenLevel = new StaticArray<f32>(0);
let screenDrift = new StaticArray<f32>(0);
let screenGross = new StaticArray<f32>(0);
let bandRoom = new StaticArray<f32>(0);
let lossSlope = new StaticArray<f32>(0);
let lossVega = new StaticArray<f32>(0);
let lossRoom = new StaticArray<f32>(0);

/** Relative slack of the single-precision screens: covers their rounding many times over. */
const KAPPA: f32 = 1e-6;
/** Relative margin for the double-precision sums the screens stand in for. */
const MARGIN: f64 = 1e-9;
/** Absolute floor of the margins, and the smallest magnitude a screen coefficient keeps (no subnormals). */
const TINY: f64 = 1e-30;

/**
 * Screening switch: off (the default), every dealer is evaluated every time; the tests compare
 * both ways. Off by default because, measured (`npm run bench`), the screens cut the evaluations
 * to 10–16% of all but not the time: a screened tick of 1M dealers took as long or longer.
 */
let screening: bool = false;
/** The next trial evaluates every dealer and anchors there. */
let reanchor: bool = true;
/** Evaluations the screens could not spare and that changed nothing, since the anchor. */
let wasted: f64 = 0;
/** What an anchor costs, in evaluations (it sums every book against it). */
let anchorCost: f64 = 0;
/** The tick the dealers were last marked at. */
let tick: i32 = 0;

// Data pointers of the arrays above, set whenever they are allocated. The hot loops read and
// write through them: an access through a managed reference costs a shadow-stack store in the
// incremental runtime, every time.
let pSeries: usize = 0;
let pPosition: usize = 0;
let pHedge: usize = 0;
let pCash: usize = 0;
let pBand: usize = 0;
let pRate: usize = 0;
let pCapital: usize = 0;
let pStressed: usize = 0;
let pActives: usize = 0;
let pActiveGap: usize = 0;
let pActiveGamma: usize = 0;
let pCandidates: usize = 0;
let pSumDelta: usize = 0;
let pSumGamma: usize = 0;
let pSumSpeed: usize = 0;
let pSumLevel: usize = 0;
let pSumDrift: usize = 0;
let pSumSlope: usize = 0;
let pSumValue: usize = 0;
let pSumVega: usize = 0;
let pGross: usize = 0;
let pBandBase: usize = 0;
let pLossBase: usize = 0;
let pScreenGap: usize = 0;
let pScreenGamma: usize = 0;
let pScreenSpeed: usize = 0;
let pScreenLevel: usize = 0;
let pScreenDrift: usize = 0;
let pScreenGross: usize = 0;
let pBandRoom: usize = 0;
let pLossSlope: usize = 0;
let pLossVega: usize = 0;
let pLossRoom: usize = 0;
let pPacked: usize = 0;
let pMarks: usize = 0;
let pFitDelta: usize = 0;
let pFitCurve: usize = 0;
let pFitDrift: usize = 0;
let pFitValue: usize = 0;

// ── Counters for the benchmark (no effect on the run) ───────────────────────────────────
let statBandVisits: f64 = 0;
let statLossVisits: f64 = 0;
let statAnchors: f64 = 0;
let statTrials: f64 = 0;
let statMarks: f64 = 0;
let statActive: f64 = 0;
let statStressed: f64 = 0;
let lastR: f64 = 0;
let worstSeries: i32 = 0;

/** Vega (per vol point) dealers bought back this tick: option demand. */
export let demandVega: f64 = 0;
/** The AMM's hedge gap at the tick's open. */
export let ammGap: f64 = 0;
/** d trialFlow / dX at the last trial price … */
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
@inline function setF32(p: usize, i: i32, x: f32): void {
  store<f32>(p + (<usize>i << 2), x);
}

// @ts-ignore: decorator
@inline function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function setI32(p: usize, i: i32, x: i32): void {
  store<i32>(p + (<usize>i << 2), x);
}

// @ts-ignore: decorator
@inline function seriesOf(slot: i32): i32 {
  return <i32>load<u16>(pSeries + (<usize>slot << 1));
}

function point(): void {
  pSeries = changetype<usize>(series);
  pPosition = changetype<usize>(position);
  pHedge = changetype<usize>(hedge);
  pCash = changetype<usize>(cash);
  pBand = changetype<usize>(band);
  pRate = changetype<usize>(rate);
  pCapital = changetype<usize>(capital);
  pStressed = changetype<usize>(stressed);
  pActives = changetype<usize>(actives);
  pActiveGap = changetype<usize>(activeGap);
  pActiveGamma = changetype<usize>(activeGamma);
  pCandidates = changetype<usize>(candidates);
  pSumDelta = changetype<usize>(sumDelta);
  pSumGamma = changetype<usize>(sumGamma);
  pSumSpeed = changetype<usize>(sumSpeed);
  pSumLevel = changetype<usize>(sumLevel);
  pSumDrift = changetype<usize>(sumDrift);
  pSumSlope = changetype<usize>(sumSlope);
  pSumValue = changetype<usize>(sumValue);
  pSumVega = changetype<usize>(sumVega);
  pGross = changetype<usize>(gross);
  pBandBase = changetype<usize>(bandBase);
  pLossBase = changetype<usize>(lossBase);
  pScreenGap = changetype<usize>(screenGap);
  pScreenGamma = changetype<usize>(screenGamma);
  pScreenSpeed = changetype<usize>(screenSpeed);
  pScreenLevel = changetype<usize>(screenLevel);
  pScreenDrift = changetype<usize>(screenDrift);
  pScreenGross = changetype<usize>(screenGross);
  pBandRoom = changetype<usize>(bandRoom);
  pLossSlope = changetype<usize>(lossSlope);
  pLossVega = changetype<usize>(lossVega);
  pLossRoom = changetype<usize>(lossRoom);
  pPacked = changetype<usize>(packed);
  pMarks = changetype<usize>(marks);
  pFitDelta = changetype<usize>(fitDelta);
  pFitCurve = changetype<usize>(fitCurve);
  pFitDrift = changetype<usize>(fitDrift);
  pFitValue = changetype<usize>(fitValue);
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
  padded = (count + 3) & ~3;
  const slots = count * POSITIONS_PER_DEALER;
  if (series.length != slots) {
    series = new StaticArray<u16>(slots);
    position = new StaticArray<f64>(slots);
  }
  if (hedge.length != count) {
    hedge = new StaticArray<f64>(count);
    cash = new StaticArray<f64>(count);
    band = new StaticArray<f64>(count);
    rate = new StaticArray<f64>(count);
    capital = new StaticArray<f64>(count);
    stressed = new StaticArray<i32>(count);
    actives = new StaticArray<i32>(count);
    activeGap = new StaticArray<f64>(count);
    activeGamma = new StaticArray<f64>(count);
    candidates = new StaticArray<i32>(count + 4);
    sumDelta = new StaticArray<f64>(count);
    sumGamma = new StaticArray<f64>(count);
    sumSpeed = new StaticArray<f64>(count);
    sumLevel = new StaticArray<f64>(count);
    sumDrift = new StaticArray<f64>(count);
    sumSlope = new StaticArray<f64>(count);
    sumValue = new StaticArray<f64>(count);
    sumVega = new StaticArray<f64>(count);
    gross = new StaticArray<f64>(count);
    bandBase = new StaticArray<f64>(count);
    lossBase = new StaticArray<f64>(count);
  }
  if (screenGap.length != padded) {
    screenGap = new StaticArray<f32>(padded);
    screenGamma = new StaticArray<f32>(padded);
    screenSpeed = new StaticArray<f32>(padded);
    screenLevel = new StaticArray<f32>(padded);
    screenDrift = new StaticArray<f32>(padded);
    screenGross = new StaticArray<f32>(padded);
    bandRoom = new StaticArray<f32>(padded);
    lossSlope = new StaticArray<f32>(padded);
    lossVega = new StaticArray<f32>(padded);
    lossRoom = new StaticArray<f32>(padded);
  }
  const n = ammNet.length;
  if (cumulative.length != n) {
    cumulative = new StaticArray<f64>(n);
    packed = new StaticArray<f64>(2 * n);
    marks = new StaticArray<f64>(2 * n);
    held = new StaticArray<bool>(n);
    fitDelta = new StaticArray<f64>(2 * n);
    fitCurve = new StaticArray<f64>(2 * n);
    fitDrift = new StaticArray<f64>(2 * n);
    fitValue = new StaticArray<f64>(2 * n);
    sensitivities = new StaticArray<f64>(4 * n);
  }
  point();
  for (let s = 0; s < n; s++) {
    unchecked(cumulative[s] = 0);
    unchecked(held[s] = false);
  }
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
    let book = 0.0;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      // A position lands in a series with probability proportional to its open interest.
      const s = drawSeries(rng.uniform());
      const size = contracts * lognormalFactor(SIZE_SIGMA, rng.normal());
      const sign = unchecked(customerLong[s]) ? signBought : signSold;
      // The customer book is the same whoever holds it; an options AMM takes its share.
      const pos = dealerShare * sign * size;
      const slot = d * POSITIONS_PER_DEALER + j;
      store<u16>(pSeries + (<usize>slot << 1), <u16>s);
      setF64(pPosition, slot, pos);
      unchecked(dealerNet[s] += pos);
      unchecked(ammNet[s] += ammShare * sign * size);
      if (pos != 0) unchecked(held[s] = true);
      book += Math.abs(pos);
    }
    setF64(pBand, d, hedgeBand * book * (0.5 + rng.uniform()));
    setF64(pRate, d, Math.min(1.0, hedgeRate * (0.5 + rng.uniform())));
    setF64(pCapital, d, capitalEach * (0.5 + rng.uniform()));
    setF64(pCash, d, 0);
  }
  // Every dealer is evaluated until the first anchor; padding lanes pass every screen.
  for (let d = 0; d < padded; d++) {
    setF32(pScreenGap, d, 0);
    setF32(pScreenGamma, d, 0);
    setF32(pScreenSpeed, d, 0);
    setF32(pScreenLevel, d, 0);
    setF32(pScreenDrift, d, 0);
    setF32(pScreenGross, d, 0);
    setF32(pBandRoom, d, d < count ? -Infinity : Infinity);
    setF32(pLossSlope, d, 0);
    setF32(pLossVega, d, 0);
    setF32(pLossRoom, d, d < count ? -Infinity : Infinity);
  }
  anchored = false;
  reanchor = true;
  wasted = 0;
  anchorCost = 2.0 * <f64>count;
  tick = 0;
  activeCount = 0;
  statBandVisits = 0;
  statLossVisits = 0;
  statAnchors = 0;
  statTrials = 0;
  statMarks = 0;
  statActive = 0;
  statStressed = 0;
}

/**
 * Σ position × table[series] over dealer d's book for a table of interleaved pairs (two values a
 * series): both sums at once (lane 0, lane 1), each added in position order from 0, as a plain
 * loop over the positions would add it.
 */
// @ts-ignore: decorator
@inline function bookPair(d: i32, table: usize): v128 {
  const base = <usize>d * POSITIONS_PER_DEALER;
  const slots = pSeries + (base << 1);
  const sizes = pPosition + (base << 3);
  let acc = f64x2.splat(0);
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(sizes)), v128.load(table + (<usize>load<u16>(slots) << 4))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(sizes, 8)), v128.load(table + (<usize>load<u16>(slots, 2) << 4))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(sizes, 16)), v128.load(table + (<usize>load<u16>(slots, 4) << 4))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(sizes, 24)), v128.load(table + (<usize>load<u16>(slots, 6) << 4))));
  return acc;
}

/** Σ|position| of dealer d: no price move can change its book delta by more (a delta moves within a unit). */
// @ts-ignore: decorator
@inline function bookSize(d: i32): f64 {
  const sizes = pPosition + ((<usize>d * POSITIONS_PER_DEALER) << 3);
  return Math.abs(load<f64>(sizes)) + Math.abs(load<f64>(sizes, 8)) + Math.abs(load<f64>(sizes, 16)) + Math.abs(load<f64>(sizes, 24));
}

// @ts-ignore: decorator
@inline function hasShort(d: i32): bool {
  const sizes = pPosition + ((<usize>d * POSITIONS_PER_DEALER) << 3);
  return load<f64>(sizes) < 0 || load<f64>(sizes, 8) < 0 || load<f64>(sizes, 16) < 0 || load<f64>(sizes, 24) < 0;
}

/** x in single precision, rounded down (a bound that may only get safer). No subnormals: tiny values go to −TINY or 0. */
// @ts-ignore: decorator
@inline function f32Down(x: f64): f32 {
  if (Math.abs(x) < TINY) return x >= 0 ? 0 : <f32>-TINY;
  let y = <f32>x;
  if (<f64>y > x) y = y > 0 ? reinterpret<f32>(reinterpret<u32>(y) - 1) : reinterpret<f32>(reinterpret<u32>(y) + 1);
  return y;
}

/** x ≥ 0 in single precision, rounded up (a size that may only get larger). */
// @ts-ignore: decorator
@inline function f32Up(x: f64): f32 {
  if (x < TINY) return x > 0 ? <f32>TINY : 0;
  let y = <f32>x;
  if (<f64>y < x) y = reinterpret<f32>(reinterpret<u32>(y) + 1);
  return y;
}

/** x in single precision, to nearest (a coefficient whose rounding the κ slack covers), tiny values flushed to 0. */
// @ts-ignore: decorator
@inline function f32Near(x: f64): f32 {
  return Math.abs(x) < TINY ? 0 : <f32>x;
}

/** Set dealer d's band screen for hedge h (after `summarize`). */
// @ts-ignore: decorator
@inline function armBand(d: i32, h: f64): void {
  const G = -f64At(pSumDelta, d) - h;
  const spare = Math.abs(G);
  setF32(pScreenGap, d, f32Near(G));
  setF32(pBandRoom, d, f32Down(f64At(pBandBase, d) - MARGIN * (Math.abs(h) + spare) - <f64>KAPPA * spare));
}

/** Set dealer d's loss screen from its cash and hedge now (after `summarize`). */
// @ts-ignore: decorator
@inline function armLoss(d: i32): void {
  if (!hasShort(d)) {
    setF32(pLossRoom, d, Infinity);
    return;
  }
  const h = f64At(pHedge, d);
  const K = f64At(pCash, d);
  const slope = f64At(pSumSlope, d) + h;
  const line = Math.abs(slope) * maxOffset;
  const room = K + h * anchorMark + f64At(pLossBase, d) - MARGIN * (Math.abs(K) + Math.abs(h) * (Math.abs(anchorMark) + maxOffset) + line) - <f64>KAPPA * line;
  setF32(pLossSlope, d, f32Near(slope));
  setF32(pLossRoom, d, f32Down(room - <f64>KAPPA * Math.abs(room)));
}

/** Sum dealer d's book against the anchor and set its coefficients; returns (D, Γ), its trial sums when anchoring. */
// @ts-ignore: decorator
@inline function summarize(d: i32): v128 {
  const first = bookPair(d, pFitDelta);
  const curve = bookPair(d, pFitCurve);
  const drift = bookPair(d, pFitDrift);
  const value = bookPair(d, pFitValue);
  const Gamma = f64x2.extract_lane(first, 1);
  const speed = f64x2.extract_lane(curve, 0);
  const level = f64x2.extract_lane(curve, 1);
  const time = f64x2.extract_lane(drift, 0);
  const vegaSum = f64x2.extract_lane(value, 1);
  const B = bookSize(d);
  setF64(pSumDelta, d, f64x2.extract_lane(first, 0));
  setF64(pSumGamma, d, Gamma);
  setF64(pSumSpeed, d, speed);
  setF64(pSumLevel, d, level);
  setF64(pSumDrift, d, time);
  setF64(pSumSlope, d, f64x2.extract_lane(drift, 1));
  setF64(pSumValue, d, f64x2.extract_lane(value, 0));
  setF64(pSumVega, d, vegaSum);
  setF64(pGross, d, B);
  // Band: every term's largest size within the anchor's bounds, for the double-precision margin and the single-precision slack.
  const bandTerms = Math.abs(Gamma) * maxOffset + 0.5 * Math.abs(speed) * maxOffset * maxOffset + Math.abs(level) * MAX_LEVEL_SHIFT + Math.abs(time) * <f64>MAX_AGE;
  const b = f64At(pBand, d);
  setF64(pBandBase, d, b - MARGIN * (4.0 * B + b + bandTerms) - TINY - <f64>KAPPA * (bandTerms + B));
  // Loss: the same for the quadratic's terms that do not move with the hedge.
  const Q = f64x2.extract_lane(value, 0);
  const limit = -param(P.lossLimit) * f64At(pCapital, d);
  const lossTerms = B * (valueScale + 4.0 * maxOffset) + 0.5 * Math.abs(Gamma) * maxOffset * maxOffset + Math.abs(vegaSum) * MAX_LEVEL_SHIFT;
  setF64(pLossBase, d, Q - limit - MARGIN * (Math.abs(Q) + Math.abs(limit) + lossTerms) - TINY - <f64>KAPPA * (lossTerms + B));
  setF32(pScreenGamma, d, f32Near(Gamma));
  setF32(pScreenSpeed, d, f32Near(speed));
  setF32(pScreenLevel, d, f32Near(level));
  setF32(pScreenDrift, d, f32Near(time));
  setF32(pScreenGross, d, f32Up(B));
  setF32(pLossVega, d, f32Near(vegaSum));
  return first;
}

/** Start every dealer and the AMM delta-neutral at the current Greeks, at price S. Called by `init`. */
export function neutralizeDealers(S: f64): void {
  const n = ammNet.length;
  for (let s = 0; s < n; s++) {
    unchecked(packed[2 * s] = delta[s]);
    unchecked(packed[2 * s + 1] = 0);
  }
  for (let d = 0; d < count; d++) setF64(pHedge, d, -f64x2.extract_lane(bookPair(d, pPacked), 0));
  let amm = 0.0;
  for (let s = 0; s < n; s++) amm += unchecked(ammNet[s]) * unchecked(delta[s]);
  ammHedge = -amm;
  providerHedge = 0;
  origin = S;
}

/** Largest |δ − fit| over the held series at the trial Greeks in `packed`, offsets u, v, k: how far the anchor misses their deltas. */
function deltaResidual(u: f64, v: f64, k: f64): f64 {
  let worst = 0.0;
  for (let s = 0; s < cumulative.length; s++) {
    if (!unchecked(held[s])) continue;
    const fit = f64At(pFitDelta, 2 * s) + f64At(pFitDelta, 2 * s + 1) * u + 0.5 * f64At(pFitCurve, 2 * s) * u * u + f64At(pFitCurve, 2 * s + 1) * v + f64At(pFitDrift, 2 * s) * k;
    const r = Math.abs(f64At(pPacked, 2 * s) - fit);
    if (r > worst) worstSeries = s;
    worst = Math.max(worst, r);
  }
  return worst;
}

/** Largest |C − fit| over the held series at offsets u, v: how far the anchor misses their values. */
function valueResidual(u: f64, v: f64): f64 {
  let worst = 0.0;
  for (let s = 0; s < cumulative.length; s++) {
    if (!unchecked(held[s])) continue;
    const fit = f64At(pFitValue, 2 * s) + f64At(pFitDrift, 2 * s + 1) * u + 0.5 * f64At(pFitDelta, 2 * s + 1) * u * u + f64At(pFitValue, 2 * s + 1) * v;
    worst = Math.max(worst, Math.abs(unchecked(cumulative[s]) - fit));
  }
  return worst;
}

/**
 * Book `n` evaluations that changed nothing. An anchor's screens clear fewer dealers as it ages
 * (its residuals grow); a new one costs about `anchorCost` evaluations. Anchor again once the
 * waste since the anchor has cost as much as an anchor: the waste an anchor lets through is
 * then at most its own cost.
 */
// @ts-ignore: decorator
@inline function waste(n: f64): void {
  wasted += n;
  if (wasted > anchorCost) reanchor = true;
}

/** Append to `candidates` the dealers from d4 whose bits are set in `lanes`; returns the new count. */
// @ts-ignore: decorator
@inline function gather(list: usize, n: i32, d4: i32, lanes: i32): i32 {
  while (lanes != 0) {
    store<i32>(list + (<usize>n << 2), d4 + ctz(lanes));
    n++;
    lanes &= lanes - 1;
  }
  return n;
}

/**
 * The loss screen over every dealer at offsets u (u2 = u²/2) and v with value residual W:
 * writes the dealers it cannot clear to `candidates`, in order, and returns how many.
 */
function lossScan(u: f32, u2: f32, v: f32, W: f32): i32 {
  const U = f32x4.splat(u);
  const U2 = f32x4.splat(u2);
  const V = f32x4.splat(v);
  const Wv = f32x4.splat(W);
  const zero = f32x4.splat(0);
  const slopeAt = pLossSlope;
  const gammaAt = pScreenGamma;
  const roomAt = pLossRoom;
  const vegaAt = pLossVega;
  const grossAt = pScreenGross;
  const list = pCandidates;
  const end = <usize>padded << 2;
  let n = 0;
  for (let o: usize = 0; o < end; o += 16) {
    const line = f32x4.add(f32x4.mul(v128.load(slopeAt + o), U), f32x4.mul(v128.load(gammaAt + o), U2));
    const room = f32x4.add(v128.load(roomAt + o), f32x4.mul(v128.load(vegaAt + o), V));
    const value = f32x4.sub(f32x4.add(room, line), f32x4.mul(v128.load(grossAt + o), Wv));
    const lanes = ~i32x4.bitmask(f32x4.ge(value, zero)) & 0xf;
    if (lanes != 0) n = gather(list, n, <i32>(o >> 2), lanes);
  }
  // Padding lanes always clear; drop any past the dealers all the same.
  while (n > 0 && load<i32>(list + (<usize>(n - 1) << 2)) >= count) n--;
  return n;
}

/** The band screen over every dealer at offsets u, v, k with delta residual R, as `lossScan`. */
function bandScan(u: f32, u2: f32, v: f32, k: f32, R: f32): i32 {
  const U = f32x4.splat(u);
  const U2 = f32x4.splat(u2);
  const V = f32x4.splat(v);
  const Kv = f32x4.splat(k);
  const Rv = f32x4.splat(R);
  const gapAt = pScreenGap;
  const gammaAt = pScreenGamma;
  const speedAt = pScreenSpeed;
  const levelAt = pScreenLevel;
  const driftAt = pScreenDrift;
  const grossAt = pScreenGross;
  const roomAt = pBandRoom;
  const list = pCandidates;
  const end = <usize>padded << 2;
  let n = 0;
  for (let o: usize = 0; o < end; o += 16) {
    const byPrice = f32x4.add(f32x4.mul(v128.load(gammaAt + o), U), f32x4.mul(v128.load(speedAt + o), U2));
    const byDrift = f32x4.add(f32x4.mul(v128.load(levelAt + o), V), f32x4.mul(v128.load(driftAt + o), Kv));
    const gap = f32x4.abs(f32x4.sub(v128.load(gapAt + o), f32x4.add(byPrice, byDrift)));
    const need = f32x4.add(gap, f32x4.mul(v128.load(grossAt + o), Rv));
    const lanes = ~i32x4.bitmask(f32x4.le(need, v128.load(roomAt + o))) & 0xf;
    if (lanes != 0) n = gather(list, n, <i32>(o >> 2), lanes);
  }
  while (n > 0 && load<i32>(list + (<usize>(n - 1) << 2)) >= count) n--;
  return n;
}

/** A residual in single precision for a screen: rounded up, with room for the product's rounding. */
// @ts-ignore: decorator
@inline function residualF32(r: f64): f32 {
  return f32Up(r * (1.0 + 4.0 * <f64>KAPPA));
}

/**
 * Mark every book to the tick's open S (option value changes, expiry settlement, the hedge); a
 * dealer short vega and past its loss limit buys back a share of each short position from other
 * liquidity providers, paying the price at the implied vol its demand lifts: `liftPerVega` is
 * the vol added per unit of vega bought. Records `demandVega` and the AMM's gap. Called every
 * tick, after `priceOptions`.
 */
export function markAndBuyBack(S: f64, liftPerVega: f64, t: i32): void {
  const lossLimit = param(P.lossLimit);
  const n = cumulative.length;
  for (let s = 0; s < n; s++) {
    const c = unchecked(cumulative[s]) + unchecked(priceChange[s]);
    unchecked(cumulative[s] = c);
    unchecked(marks[2 * s] = c);
    unchecked(marks[2 * s + 1] = vega[s]);
  }
  const mark = S - origin;
  tick = t;
  demandVega = 0;
  statMarks += 1;
  let screen = false;
  let u = 0.0;
  let v = 0.0;
  let W = 0.0;
  if (anchored && screening) {
    u = S - anchorPrice;
    v = impliedLevel - anchorLevel;
    if (Math.abs(u) <= maxOffset && Math.abs(v) <= MAX_LEVEL_SHIFT) {
      W = valueResidual(u, v);
      screen = W == W;
    }
    if (!screen) reanchor = true;
  }
  const table = pMarks;
  const list = pCandidates;
  const visits = screen ? lossScan(<f32>u, <f32>(0.5 * u * u), <f32>v, residualF32(W)) : count;
  let stressedCount = 0;
  let harmless = 0;
  for (let k = 0; k < visits; k++) {
    const d = screen ? i32At(list, k) : k;
    // The book's value and vega at once: lane 0 is Σ position × cumulative change, lane 1 Σ position × vega.
    const book = bookPair(d, table);
    const total = f64At(pCash, d) + f64x2.extract_lane(book, 0) + f64At(pHedge, d) * mark;
    // Most dealers are within their limit: only the others need their book's vega.
    if (total >= -lossLimit * f64At(pCapital, d)) {
      harmless++;
      if (anchored) armLoss(d);
      continue;
    }
    if (f64x2.extract_lane(book, 1) >= 0) {
      setF32(pLossRoom, d, hasShort(d) ? -Infinity : Infinity);
      continue;
    }
    setI32(pStressed, stressedCount++, d);
    const base = d * POSITIONS_PER_DEALER;
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      const pos = f64At(pPosition, base + j);
      if (pos < 0) demandVega += -pos * BUYBACK_RATE * unchecked(vega[seriesOf(base + j)]) * PER_PERCENT;
    }
  }
  statLossVisits += <f64>visits;
  statStressed += <f64>stressedCount;
  if (screen) waste(<f64>harmless);
  // The tick's demand lifts implied vol; every buyer pays for what it buys at the lifted vol.
  const lift = liftPerVega * demandVega;
  const dust = POSITION_DUST * contracts;
  for (let k = 0; k < stressedCount; k++) {
    const d = i32At(pStressed, k);
    const base = d * POSITIONS_PER_DEALER;
    let cost = 0.0;
    let K = f64At(pCash, d);
    for (let j = 0; j < POSITIONS_PER_DEALER; j++) {
      const pos = f64At(pPosition, base + j);
      if (pos >= 0) continue;
      const s = seriesOf(base + j);
      let bought = -pos * BUYBACK_RATE;
      // A position bought back to dust is closed (no subnormal positions).
      if (Math.abs(pos + bought) < dust) bought = -pos;
      setF64(pPosition, base + j, pos + bought);
      unchecked(dealerNet[s] += bought);
      unchecked(providerNet[s] -= bought);
      cost += bought * unchecked(vega[s]) * lift * unchecked(termWeight[s]);
      // The position's value moves from the dealer's options to its cash.
      K -= bought * unchecked(cumulative[s]);
    }
    setF64(pCash, d, K - cost);
    // Its book changed: sum it against the anchor again, and look at it again at the next trial and open.
    if (anchored) summarize(d);
    setF32(pBandRoom, d, -Infinity);
    setF32(pLossRoom, d, hasShort(d) ? -Infinity : Infinity);
  }
  let amm = 0.0;
  for (let s = 0; s < ammNet.length; s++) amm += unchecked(ammNet[s]) * unchecked(delta[s]);
  ammGap = -amm - ammHedge;
}

/** Anchor the screens at trial price X with the trial Greeks in `packed`. */
function setAnchor(X: f64): void {
  const n = cumulative.length;
  anchored = true;
  reanchor = false;
  anchorPrice = X;
  anchorMark = X - origin;
  anchorTick = tick;
  anchorLevel = impliedLevel;
  wasted = 0;
  statAnchors += 1;
  anchorSensitivities(X, tick, sensitivities);
  valueScale = 0;
  for (let s = 0; s < n; s++) {
    setF64(pFitDelta, 2 * s, f64At(pPacked, 2 * s));
    setF64(pFitDelta, 2 * s + 1, f64At(pPacked, 2 * s + 1));
    setF64(pFitCurve, 2 * s, unchecked(sensitivities[4 * s]));
    setF64(pFitCurve, 2 * s + 1, unchecked(sensitivities[4 * s + 1]));
    setF64(pFitDrift, 2 * s, unchecked(sensitivities[4 * s + 2]));
    setF64(pFitDrift, 2 * s + 1, unchecked(valueDelta[s]));
    setF64(pFitValue, 2 * s, unchecked(cumulative[s]));
    setF64(pFitValue, 2 * s + 1, unchecked(sensitivities[4 * s + 3]));
    if (unchecked(held[s])) valueScale = Math.max(valueScale, Math.abs(unchecked(cumulative[s])));
  }
  maxOffset = OFFSET_SHARE * X;
}

/**
 * Net hedge flow (units, + buys) of dealers, the AMM and the providers if the tick's price were
 * X, with `trialDelta`/`trialGamma` at X; leaves d flow / dX in `trialSlope` and how far the flow
 * can move in `trialReach`, and the dealers out of their band for `commitHedges`. Called a few
 * times a tick while the engine solves for the price.
 */
export function trialFlow(X: f64): f64 {
  const n = cumulative.length;
  for (let s = 0; s < n; s++) {
    unchecked(packed[2 * s] = trialDelta[s]);
    unchecked(packed[2 * s + 1] = trialGamma[s]);
  }
  statTrials += 1;
  let anchoring = false;
  let screen = false;
  const age = tick - anchorTick;
  let u = 0.0;
  let v = 0.0;
  let R = 0.0;
  if (screening) {
    if (anchored && !reanchor && age <= MAX_AGE) {
      u = X - anchorPrice;
      v = impliedLevel - anchorLevel;
      if (Math.abs(u) <= maxOffset && Math.abs(v) <= MAX_LEVEL_SHIFT) {
        R = deltaResidual(u, v, <f64>age);
        lastR = R;
        screen = R == R;
      }
    }
    // Every dealer is evaluated now: anchor here.
    if (!screen) {
      setAnchor(X);
      anchoring = true;
    }
  }
  const table = pPacked;
  const list = pCandidates;
  const visits = screen ? bandScan(<f32>u, <f32>(0.5 * u * u), <f32>v, <f32>age, residualF32(R)) : count;
  let flow = 0.0;
  let slope = 0.0;
  let reach = 0.0;
  let harmless = 0;
  let active = 0;
  for (let k = 0; k < visits; k++) {
    const d = screen ? i32At(list, k) : k;
    // Anchoring, the trial Greeks are the anchor's: the book's sums against it are the trial's.
    const pair = anchoring ? summarize(d) : bookPair(d, table);
    const h = f64At(pHedge, d);
    const gap = -f64x2.extract_lane(pair, 0) - h;
    if (Math.abs(gap) > f64At(pBand, d)) {
      const r = f64At(pRate, d);
      const bg = f64x2.extract_lane(pair, 1);
      flow += r * gap;
      slope -= r * bg;
      reach += r * bookSize(d);
      setI32(pActives, active, d);
      setF64(pActiveGap, active, gap);
      setF64(pActiveGamma, active, bg);
      active++;
      setF32(pBandRoom, d, -Infinity);
    } else {
      harmless++;
      if (anchored) armBand(d, h);
    }
    if (anchoring) armLoss(d);
  }
  activeCount = active;
  statActive += <f64>active;
  statBandVisits += <f64>visits;
  if (screen) waste(<f64>harmless);
  const providerRate = param(P.hedgeRate);
  flow += AMM_HEDGE_RATE * (-bookTrialDelta(ammNet) - ammHedge) + providerRate * (-bookTrialDelta(providerNet) - providerHedge);
  slope -= AMM_HEDGE_RATE * bookTrialGamma(ammNet) + providerRate * bookTrialGamma(providerNet);
  reach += AMM_HEDGE_RATE * grossSize(ammNet) + providerRate * grossSize(providerNet);
  trialSlope = slope;
  trialReach = reach;
  return flow;
}

/** Dealers' own hedge flow at the committed price, and the AMM's: read by the engine after `commitHedges`. */
export let committedDealerFlow: f64 = 0;
export let committedAmmFlow: f64 = 0;

/**
 * Trade every hedge at the tick's solved price X along the line the solve used: each hedger
 * that traded in the last `trialFlow` (at price `at`, whose deltas and gammas `trialDelta`/
 * `trialGamma` still hold) trades its rate × (gap at `at` − book gamma × (X − at)) × `keep`
 * (the share of that line’s move the engine kept: 1 unless capped or beyond the hedgers’ reach); hedges held from the
 * open S to X are marked (the hedge mark moves to X). Returns the net flow (units). Called once a tick the venue trades.
 */
export function commitHedges(at: f64, X: f64, S: f64, keep: f64): f64 {
  const shift = (X - at) * keep;
  const mark = X - origin;
  const lossLimit = param(P.lossLimit);
  let flow = 0.0;
  for (let k = 0; k < activeCount; k++) {
    const d = i32At(pActives, k);
    const h = f64At(pHedge, d);
    const trade = f64At(pRate, d) * (f64At(pActiveGap, k) - f64At(pActiveGamma, k) * shift);
    setF64(pHedge, d, h + trade);
    setF64(pCash, d, f64At(pCash, d) - trade * mark);
    flow += trade;
    // Its hedge changed: its P&L's quadratic did too.
    if (anchored) armLoss(d);
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

/** Evaluate every dealer every time (false, the default) or screen them (true): the results are the same, bit for bit. Called by the tests and the benchmark. */
export function setScreening(on: bool): void {
  screening = on;
}

/**
 * Counters of the dealer loop since `init`, for the benchmark: 0 dealer evaluations at trial
 * prices, 1 at opens, 2 anchors, 3 trials, 4 opens, 5 dealers out of their band (summed over
 * trials), 6 dealers stressed (summed over opens).
 */
export function dealerStat(which: i32): f64 {
  switch (which) {
    case 0: return statBandVisits;
    case 1: return statLossVisits;
    case 2: return statAnchors;
    case 3: return statTrials;
    case 4: return statMarks;
    case 5: return statActive;
    case 6: return statStressed;
    case 7: return lastR;
    case 8: return <f64>worstSeries;
    default: return NaN;
  }
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
  for (let i = 0; i < count * POSITIONS_PER_DEALER; i++) if (subnormal(f64At(pPosition, i))) n++;
  for (let d = 0; d < count; d++) {
    if (subnormal(f64At(pHedge, d))) n++;
    if (subnormal(f64At(pCash, d))) n++;
  }
  for (let s = 0; s < cumulative.length; s++) if (subnormal(unchecked(cumulative[s]))) n++;
  if (subnormal(ammHedge)) n++;
  if (subnormal(providerHedge)) n++;
  return n;
}
