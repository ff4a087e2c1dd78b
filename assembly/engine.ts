// One tick of the market, in the fixed order of MODEL.md §1 (documented step by step in its
// twin src/model/reference/engine.ts, which this file must match tick for tick; each mechanism's
// file here has a twin of the same name there). The run and its counterfactual advance in
// lockstep on the same noise and shock; the counterfactual has no reflexive agents, no depth
// thinning and no policies (value traders and pool arbitrageurs stay). The loop switches arrive
// as other parameters' values, except loopDealers, read in step 8 (see the twin).
import {
  P, Col, MARKET_STREAM, AGENT_STREAM, EVENT_STREAM, ORACLE_TWAP, ORACLE_POOL, LOOP_OFF,
  MIN_IMPLIED_VOL, MAX_IMPLIED_VOL, MAX_MAINT_MARGIN, AMM_IV_SLOPE, HEDGE_PASSES, MIN_SOLVE_SLOPE, SOLVE_ITERATIONS, SOLVE_TOLERANCE, SOLVE_FIRST_STEP, VOL_STRESS, GEX_STRESS_SHARE,
} from './layout';
import { param } from './params';
import { Rng } from './rng';
import { initClock, dtYears } from './clock';
import { Market, initMarket, shockUsdPerTick, depthFactor, updateVariances } from './market';
import * as options from './options';
import * as dealers from './dealers';
import * as perps from './perps';
import * as lending from './lending';
import * as insurers from './insurers';
import * as stablecoin from './stablecoin';

const marketRng = new Rng(0, MARKET_STREAM);
const agentRng = new Rng(0, AGENT_STREAM);
const eventRng = new Rng(0, EVENT_STREAM);
const run = new Market();
const cf = new Market();

export let tick: i32 = 0;
export let ticks: i32 = 0;
let stride: i32 = 1;
/** Series columns, column-major: column c occupies [c·stride, (c+1)·stride). */
export let series = new StaticArray<f64>(Col.COUNT);

let lnFair: f64 = 0;
let impliedVol: f64 = 0;
let shockUsd: f64 = 0;
/** Ticks of the sell program the run has executed: the program pauses while the venue is halted. */
let shockDone: i32 = 0;
let haltUntil: i32 = 0;
let bookVega0: f64 = 1;

// @ts-ignore: decorator
@inline function put(c: Col, t: i32, v: f64): void {
  unchecked(series[<i32>c * stride + t] = v);
}

// @ts-ignore: decorator
@inline function get(c: Col, t: i32): f64 {
  return unchecked(series[<i32>c * stride + t]);
}

/** Set up a run from the parameter block and the `gridSeries` series of the grid block. */
export function initEngine(gridSeries: i32): void {
  const seed = <u32>param(P.seed);
  marketRng.reseed(seed, MARKET_STREAM);
  agentRng.reseed(seed, AGENT_STREAM);
  eventRng.reseed(seed, EVENT_STREAM);
  tick = 0;
  ticks = <i32>param(P.ticks);
  stride = ticks + 1;
  if (series.length != Col.COUNT * stride) series = new StaticArray<f64>(Col.COUNT * stride);
  else for (let i = 0; i < series.length; i++) unchecked(series[i] = 0);

  initClock();
  initMarket();
  const S0 = param(P.price0);
  run.reset();
  cf.reset();
  lnFair = run.lnPrice;
  impliedVol = param(P.vol0);
  shockUsd = shockUsdPerTick();
  shockDone = 0;
  haltUntil = 0;

  options.initOptions(gridSeries);
  dealers.initDealers(agentRng);
  options.noteHolders();
  perps.initPerps(agentRng);
  lending.initLending(agentRng);
  insurers.initInsurers(agentRng);
  stablecoin.initStablecoin();
  // Tick 0 prices at exp(ln price0), which may differ from price0 in the last bit: start the
  // books neutral at exactly that price, or a zero hedge band trades a rounding-sized gap.
  const start = Math.exp(run.lnPrice);
  options.priceOptions(start, 0, impliedVol);
  dealers.neutralizeDealers(start);
  bookVega0 = max(1e-9, options.bookVega());
  const g = options.gexAt(start);

  put(Col.oracle, 0, S0);
  put(Col.poolPrice, 0, S0);
  put(Col.gex, 0, g);
  put(Col.dealerVega, 0, options.dealerVega());
  put(Col.insuranceFund, 0, perps.fund);
  put(Col.maintMargin, 0, param(P.maintMargin));
  put(Col.pegPrice, 0, 1);
  put(Col.stableSupply, 0, stablecoin.supply);
  put(Col.tokenSupply, 0, stablecoin.tokens);
  put(Col.depth, 0, 1);
  put(Col.gammaFlip, 0, options.gammaFlip(start, 0));
  recordMarkets(0);
}

function recordMarkets(t: i32): void {
  put(Col.price, t, Math.exp(run.lnPrice));
  put(Col.cfPrice, t, Math.exp(cf.lnPrice));
  put(Col.fairValue, t, Math.exp(lnFair));
  put(Col.realizedVol, t, Math.sqrt(run.variance));
  put(Col.impliedVol, t, impliedVol);
  put(Col.cfRealizedVol, t, Math.sqrt(cf.variance));
}

/** Advance the market one tick. Called by `step`, up to thousands of times a second. */
export function advance(): void {
  const t = tick;
  const S = Math.exp(run.lnPrice);
  const halted = t < haltUntil;

  // 1. exogenous flow (the scripted program pauses while the venue is halted and resumes after)
  const noise = param(P.vol0) * Math.sqrt(dtYears) * marketRng.normal();
  const shockStart = <i32>param(P.shockStart);
  const shockTicks = <i32>param(P.shockTicks);
  const scripted = t >= shockStart && t < shockStart + shockTicks ? -shockUsd : 0.0;
  let shockNow = 0.0;
  if (!halted && t >= shockStart && shockDone < shockTicks) {
    shockNow = -shockUsd;
    shockDone++;
  }

  // 2. oracle
  const oracle = get(Col.oracle, t);

  // 3. dealers mark their books; those past their loss limit buy options back. When the hedgers
  // trade this tick, the same pass over the dealers is their first trial, at the open (step 8).
  // The gamma loop's switch: with it off, the option hedgers keep the hedges they started with.
  const hedging = <i32>param(P.loopDealers) != LOOP_OFF;
  const firstTrial = !halted && hedging;
  const openAt = Math.exp(Math.log(S));
  options.priceOptions(S, t, impliedVol);
  if (firstTrial) options.greeksAt(openAt, t);
  const liftPerVega = param(P.ivDemand) / bookVega0;
  dealers.markAndBuyBack(S, liftPerVega, firstTrial);
  const gex = options.gexAt(S);
  const vega = options.dealerVega();
  const stress = gexStress(gex);

  // 4. the vega loop (takes effect next tick)
  const ammShare = param(P.ammShare);
  const ammQuote = ammShare * AMM_IV_SLOPE * (stress + Math.abs(dealers.ammGap) / Math.max(1e-9, options.ammDeltaScale()));
  const dayVol = Math.sqrt(run.dayVariance);
  const drifted = impliedVol + param(P.ivSpeed) * (dayVol - impliedVol) + liftPerVega * dealers.demandVega + ammQuote;
  const nextImpliedVol = Math.min(MAX_IMPLIED_VOL, Math.max(MIN_IMPLIED_VOL, drifted));

  // 5. liquidations
  const vol0 = param(P.vol0);
  const maintMargin = Math.min(MAX_MAINT_MARGIN, param(P.maintMargin) * (1.0 + param(P.dynamicMargin) * (Math.max(0.0, Math.sqrt(run.variance) / vol0 - VOL_STRESS) + stress)));
  perps.trigger(oracle, maintMargin);
  let deleverageQty = 0.0;
  let liqQty = 0.0;
  // While the venue is halted nothing executes, but margin-called traders can still post collateral.
  if (halted) perps.skipExecution();
  else liqQty = perps.execute(S);
  deleverageQty = perps.deleverage(oracle, S);
  lending.liquidateLoans(oracle, eventRng);

  // 6. threshold sellers and the stablecoin
  const cppiQty = halted ? 0.0 : insurers.rebalanceInsurers(S);
  const redemptionQty = -stablecoin.redeemStablecoin(S, oracle, halted) / oracle;

  // 7. pool arbitrage (the pool is part of the market only when loans are sold into it or the oracle reads it)
  const poolActive = param(P.borrowers) > 0 || <i32>param(P.oracleMode) == ORACLE_POOL;
  const arbQty = halted || !poolActive ? 0.0 : lending.pool.arbitrage(S);
  const cfArbQty = poolActive ? lending.cfPool.arbitrage(Math.exp(cf.lnPrice)) : 0.0;

  // 8. price formation: dealers' hedges and value traders trade at the price they help form
  const depth = depthFactor(run.variance, impliedVol);
  run.lnFair = lnFair;
  cf.lnFair = lnFair;
  const flowQty = liqQty + deleverageQty + cppiQty + redemptionQty + arbQty;
  let next = run.lnPrice;
  let valueQty = 0.0;
  let tradedAt = S;
  if (halted) run.holdTick(noise);
  else {
    run.openTick(noise);
    next = solveTick(run, shockNow + flowQty * S, S, depth, hedging, t);
    valueQty = solvedValue;
    tradedAt = solvedPrice;
  }
  const cfS = Math.exp(cf.lnPrice);
  cf.openTick(noise);
  const cfNext = solveTick(cf, scripted + cfArbQty * cfS, cfS, 1.0, false, t);
  lnFair += noise;
  const S1 = Math.exp(next);
  perps.settle(S1);

  // 9. volatility, breaker, record, next oracle
  updateVariances(run, next - run.lnPrice);
  updateVariances(cf, cfNext - cf.lnPrice);
  run.lnPrice = next;
  cf.lnPrice = cfNext;
  impliedVol = nextImpliedVol;
  tick = t + 1;
  recordMarkets(t + 1);
  const threshold = param(P.breakerThreshold);
  if (threshold > 0 && t + 1 >= haltUntil) {
    const move = Math.abs(Math.log(get(Col.price, t + 1) / get(Col.price, max(0, t + 1 - <i32>param(P.breakerWindow)))));
    if (move > threshold) haltUntil = t + 1 + <i32>param(P.breakerHalt);
  }
  put(Col.gex, t + 1, gex);
  put(Col.dealerVega, t + 1, vega);
  put(Col.optionDemand, t + 1, dealers.demandVega);
  put(Col.dealerFlow, t + 1, halted || !hedging ? 0.0 : dealers.committedDealerFlow * tradedAt);
  put(Col.ammFlow, t + 1, halted || !hedging ? 0.0 : dealers.committedAmmFlow * tradedAt);
  put(Col.shockFlow, t + 1, shockNow);
  put(Col.valueFlow, t + 1, valueQty * tradedAt);
  put(Col.arbFlow, t + 1, arbQty * S);
  put(Col.cppiFlow, t + 1, cppiQty * S);
  put(Col.redemptionFlow, t + 1, redemptionQty * S);
  put(Col.liqLending, t + 1, lending.tickSoldUsd);
  put(Col.lendingBadDebt, t + 1, lending.tickBadDebt);
  put(Col.liqAccounts, t + 1, <f64>perps.tickAccounts);
  put(Col.liqQueue, t + 1, perps.queued() * S1);
  put(Col.deleverage, t + 1, perps.tickDeleverage * S);
  put(Col.marginPosted, t + 1, perps.tickPosted);
  put(Col.maintMargin, t + 1, maintMargin);
  put(Col.halted, t + 1, halted ? 1.0 : 0.0);
  put(Col.depth, t + 1, depth);
  put(Col.liqLong, t + 1, perps.tickLiqLong);
  put(Col.liqShort, t + 1, perps.tickLiqShort);
  put(Col.adlVolume, t + 1, perps.tickAdl);
  put(Col.liqMargin, t + 1, perps.tickMargin);
  put(Col.liqCounterparty, t + 1, perps.tickCounterparty);
  put(Col.liqBonus, t + 1, perps.tickBonus);
  put(Col.liqReturned, t + 1, perps.tickReturned);
  put(Col.fundIn, t + 1, perps.tickFundIn);
  put(Col.fundPaid, t + 1, perps.tickFundPaid);
  put(Col.badDebt, t + 1, perps.tickBadDebt);
  put(Col.poolPrice, t + 1, lending.pool.price());
  put(Col.insuranceFund, t + 1, perps.fund);
  put(Col.pegPrice, t + 1, stablecoin.peg);
  put(Col.stableSupply, t + 1, stablecoin.supply);
  put(Col.tokenSupply, t + 1, stablecoin.tokens);
  put(Col.gammaFlip, t + 1, options.gammaFlip(S1, t));
  put(Col.oracle, t + 1, publishOracle(t + 1, oracle));
}

/** The price the tick's hedges and value traders traded at, and their flow (units), from `solveTick`. */
let solvedPrice: f64 = 0;
let solvedHedges: f64 = 0;
let solvedValue: f64 = 0;
/** The hedgers' flow as a line in the tick's price X: flow ≈ hedgeFlow + hedgeSlope × (X − hedgeAt), moving at most hedgeReach. */
let hedgeFlow: f64 = 0;
let hedgeSlope: f64 = 0;
let hedgeAt: f64 = 0;
let hedgeReach: f64 = 0;

/**
 * Form the tick's price with the agents that trade at it: option hedgers (dealers, the AMM, the
 * providers; only in the run) and value traders. Their flow depends on the price it helps form,
 * so the price solves x = price(flow(x)). The hedgers' flow is a pass over every dealer, so it is
 * evaluated HEDGE_PASSES times, each time at the last solution, and taken as a line between
 * (dealers outside their band there trade their rate × gap, which moves by −rate × book gamma per
 * unit of price); given that line the value traders' flow is cheap, and the equation is solved
 * exactly (`solveLine`). Every hedge then trades at the solution along the same line, so the
 * price is formed by exactly the flow that traded at it. `otherUsd` is the flow decided at the open.
 */
function solveTick(m: Market, otherUsd: f64, S: f64, depth: f64, hedgers: bool, t: i32): f64 {
  let x = Math.log(S);
  hedgeFlow = 0;
  hedgeSlope = 0;
  hedgeAt = S;
  hedgeReach = 0;
  if (hedgers) {
    for (let k = 0; k < HEDGE_PASSES; k++) {
      hedgeAt = Math.exp(x);
      // The first trial, at the open, was made with the marks (step 3).
      if (k > 0) {
        options.greeksAt(hedgeAt, t);
        dealers.trialFlow();
      }
      hedgeFlow = dealers.trialFlowAt;
      hedgeReach = dealers.trialReach;
      hedgeSlope = capHedgeSlope(m, otherUsd, depth, dealers.trialSlope);
      x = solveLine(m, otherUsd, depth, x);
    }
  } else x = solveLine(m, otherUsd, depth, x);
  const X = Math.exp(x);
  solvedPrice = X;
  // The share of their own line's move the hedges keep: less when capped or beyond their reach.
  const unclamped = dealers.trialSlope * (X - hedgeAt);
  solvedHedges = hedgers ? dealers.commitHedges(hedgeAt, X, S, unclamped == 0 ? 1.0 : hedgeMove(X) / unclamped) : 0.0;
  solvedValue = m.valueTrade(x);
  m.valuePosition += solvedValue;
  return m.closeTick(otherUsd + (solvedHedges + solvedValue) * X, depth);
}

/**
 * A short-gamma book so large that its hedges would move the tick's price by more than the
 * move that triggers them has no price to clear at within the tick: its within-tick response is
 * capped at 1 − MIN_SOLVE_SLOPE of that (the rest of its gap trades at the next tick's price).
 */
function capHedgeSlope(m: Market, otherUsd: f64, depth: f64, slope: f64): f64 {
  if (slope <= 0) return slope;
  const gain = m.slopeFor(otherUsd + hedgeFlow * hedgeAt, depth) * hedgeAt * slope * hedgeAt;
  return gain > 1.0 - MIN_SOLVE_SLOPE ? (slope * (1.0 - MIN_SOLVE_SLOPE)) / gain : slope;
}

/** How far the hedgers' flow moves from hedgeAt to X along their line (within their reach). */
// @ts-ignore: decorator
@inline function hedgeMove(X: f64): f64 {
  return Math.min(hedgeReach, Math.max(-hedgeReach, hedgeSlope * (X - hedgeAt)));
}

/** Flow (units) of the hedgers' line and the value traders at log price x. */
// @ts-ignore: decorator
@inline function flowAt(m: Market, x: f64): f64 {
  return hedgeFlow + hedgeMove(Math.exp(x)) + m.valueTrade(x);
}

/**
 * Solve x = price(flow(x)) for the tick, flow given by the hedgers' line and the value traders:
 * bracket the root from x0 by doubling steps, then Newton steps kept inside the bracket
 * (bisection when a step would leave it), at most SOLVE_ITERATIONS, to SOLVE_TOLERANCE in log
 * price. f(x) = x − price(flow(x)) rises with x whenever the agents stabilize the price, and the
 * bracket catches a root either way.
 */
function solveLine(m: Market, otherUsd: f64, depth: f64, x0: f64): f64 {
  const f0 = x0 - m.priceFor(otherUsd + flowAt(m, x0) * Math.exp(x0), depth);
  if (f0 == 0) return x0;
  let lo = x0;
  let hi = x0;
  let flo = f0;
  let fhi = f0;
  let step = SOLVE_FIRST_STEP;
  // f0 > 0: the root lies below x0; f0 < 0: above.
  for (let i = 0; i < SOLVE_ITERATIONS; i++) {
    const x = f0 > 0 ? x0 - step : x0 + step;
    const f = x - m.priceFor(otherUsd + flowAt(m, x) * Math.exp(x), depth);
    if (f0 > 0) {
      lo = x;
      flo = f;
      if (f <= 0) break;
      hi = x;
      fhi = f;
    } else {
      hi = x;
      fhi = f;
      if (f >= 0) break;
      lo = x;
      flo = f;
    }
    step *= 2.0;
  }
  if (flo > 0 || fhi < 0) return flo > 0 ? lo : hi;
  let x = flo == fhi ? 0.5 * (lo + hi) : lo - (flo * (hi - lo)) / (fhi - flo);
  for (let i = 0; i < SOLVE_ITERATIONS; i++) {
    const X = Math.exp(x);
    const units = flowAt(m, x);
    const flow = otherUsd + units * X;
    const f = x - m.priceFor(flow, depth);
    if (f == 0) return x;
    if (f < 0) {
      lo = x;
      flo = f;
    } else {
      hi = x;
      fhi = f;
    }
    if (hi - lo <= SOLVE_TOLERANCE) break;
    // d flow/dx of (units × X): X × (units + d units/dx).
    const hedgeDx = Math.abs(hedgeSlope * (X - hedgeAt)) < hedgeReach ? hedgeSlope * X : 0.0;
    const dflow = X * (units + hedgeDx + m.valueTradeSlope(x));
    const fprime = 1.0 - m.slopeFor(flow, depth) * dflow;
    let next = fprime > 0 ? x - f / fprime : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    x = next;
  }
  return x;
}

/**
 * Options stress on a calm baseline: how far dealers' short gamma exceeds a reference scale, the
 * hedge a 1% move forces of GEX_STRESS_SHARE × a day's volume: 0 in a calm market.
 */
function gexStress(gex: f64): f64 {
  return Math.max(0.0, -gex / (GEX_STRESS_SHARE * param(P.dailyVolume)) - 1.0);
}

/** The oracle price published at the end of tick t, from its source, if it moved past the deviation threshold. */
function publishOracle(t: i32, last: f64): f64 {
  const mode = <i32>param(P.oracleMode);
  const delay = <i32>param(P.oracleDelay);
  let source: f64;
  if (mode == ORACLE_POOL) {
    source = get(Col.poolPrice, max(0, t - delay));
  } else if (mode == ORACLE_TWAP) {
    const from = max(0, t - max(1, delay) + 1);
    let sum = 0.0;
    for (let i = from; i <= t; i++) sum += get(Col.price, i);
    source = sum / <f64>(t - from + 1);
  } else {
    source = get(Col.price, max(0, t - delay));
  }
  return Math.abs(source / last - 1.0) > param(P.oracleDeviation) ? source : last;
}

/** GEX per 1% move at hypothetical spot P_, now. */
export function gexProfileAt(P_: f64): f64 {
  return options.gexIfSpot(P_, tick);
}
