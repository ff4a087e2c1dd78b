// One tick of the market, in the fixed order of MODEL.md §1 (documented step by step in its
// twin src/model/reference/engine.ts, which this file must match tick for tick; each mechanism's
// file here has a twin of the same name there). The run and its counterfactual advance in
// lockstep on the same noise and shock; the counterfactual has no reflexive agents, no depth
// thinning and no policies (value traders and pool arbitrageurs stay).
import {
  P, Col, DT_YEARS, MARKET_STREAM, AGENT_STREAM, EVENT_STREAM, ORACLE_TWAP, ORACLE_POOL,
  MIN_IMPLIED_VOL, MAX_IMPLIED_VOL, MAX_MAINT_MARGIN, AMM_IV_SLOPE,
} from './layout';
import { param } from './params';
import { Rng } from './rng';
import { Market, initMarket, shockUsdPerTick, depthFactor, updateVariance } from './market';
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
let shockBacklog: f64 = 0;
let haltUntil: i32 = 0;
let prevPrice: f64 = 0;
let bookVega0: f64 = 1;
let gex0: f64 = 1;

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

  initMarket();
  const S0 = param(P.price0);
  run.reset();
  cf.reset();
  lnFair = run.lnPrice;
  impliedVol = param(P.vol0);
  shockUsd = shockUsdPerTick();
  shockBacklog = 0;
  haltUntil = 0;
  prevPrice = S0;

  options.initOptions(gridSeries);
  dealers.initDealers(agentRng);
  perps.initPerps(agentRng);
  lending.initLending(agentRng);
  insurers.initInsurers(agentRng);
  stablecoin.initStablecoin();
  // Tick 0 prices at exp(ln price0), which may differ from price0 in the last bit: start the
  // books neutral at exactly that price, or a zero hedge band trades a rounding-sized gap.
  const start = Math.exp(run.lnPrice);
  options.priceOptions(start, 0, impliedVol);
  dealers.neutralizeDealers();
  bookVega0 = max(1e-9, options.bookVega());
  const g = options.gexAt(start);
  gex0 = max(1e-9, Math.abs(g));

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

  // 1. exogenous flow (the scripted program waits while the venue is halted)
  const noise = param(P.vol0) * Math.sqrt(DT_YEARS) * marketRng.normal();
  const scripted = t >= <i32>param(P.shockStart) && t < <i32>param(P.shockStart) + <i32>param(P.shockTicks) ? -shockUsd : 0.0;
  let shockNow = 0.0;
  if (halted) shockBacklog += scripted;
  else {
    shockNow = scripted + shockBacklog;
    shockBacklog = 0;
  }

  // 2. oracle
  const oracle = get(Col.oracle, t);

  // 3. dealers: mark, buy back past the loss limit, re-hedge; the AMM hedges slowly
  options.priceOptions(S, t, impliedVol);
  dealers.markAndBuyBack(S - prevPrice);
  let dealerQty = 0.0;
  let ammQty = 0.0;
  let ammGap = 0.0;
  if (!halted) {
    dealerQty = dealers.rehedge();
    ammQty = dealers.ammRehedge();
    ammGap = dealers.ammGap;
  }
  const gex = options.gexAt(S);
  const vega = options.dealerVega();
  const stress = Math.max(0.0, -gex) / gex0;

  // 4. the vega loop (takes effect next tick)
  const ammShare = param(P.ammShare);
  const ammQuote = ammShare * AMM_IV_SLOPE * (stress + Math.abs(ammGap) / Math.max(1e-9, options.ammDeltaScale()));
  const drifted = impliedVol + param(P.ivSpeed) * (Math.sqrt(run.variance) - impliedVol) + (param(P.ivDemand) * dealers.demandVega) / bookVega0 + ammQuote;
  const nextImpliedVol = Math.min(MAX_IMPLIED_VOL, Math.max(MIN_IMPLIED_VOL, drifted));

  // 5. liquidations
  const vol0 = param(P.vol0);
  const maintMargin = Math.min(MAX_MAINT_MARGIN, param(P.maintMargin) * (1.0 + param(P.dynamicMargin) * (Math.max(0.0, Math.sqrt(run.variance) / vol0 - 1.0) + stress)));
  perps.trigger(oracle, maintMargin);
  let deleverageQty = 0.0;
  let liqQty = 0.0;
  if (halted) perps.skipExecution();
  else {
    liqQty = perps.execute(S);
    deleverageQty = perps.deleverage();
  }
  lending.liquidateLoans(oracle, eventRng);

  // 6. threshold sellers and the stablecoin
  const cppiQty = halted ? 0.0 : insurers.rebalanceInsurers(S);
  const redemptionQty = -stablecoin.redeemStablecoin(S, oracle, halted) / oracle;

  // 7. value traders and pool arbitrage
  const valueQty = halted ? 0.0 : run.valueTrade(lnFair);
  const cfValueQty = cf.valueTrade(lnFair);
  // The pool is part of the market only when loans are sold into it or the oracle reads it.
  const poolActive = param(P.borrowers) > 0 || <i32>param(P.oracleMode) == ORACLE_POOL;
  const arbQty = halted || !poolActive ? 0.0 : lending.pool.arbitrage(S);
  const cfArbQty = poolActive ? lending.cfPool.arbitrage(Math.exp(cf.lnPrice)) : 0.0;

  // 8. price formation, then settlement at the new price
  const depth = depthFactor(run.variance);
  const flowQty = dealerQty + ammQty + liqQty + deleverageQty + cppiQty + redemptionQty + valueQty + arbQty;
  const next = halted ? run.holdPrice(noise, depth) : run.formPrice(noise, shockNow + flowQty * S, depth);
  const cfNext = cf.formPrice(noise, scripted + (cfValueQty + cfArbQty) * Math.exp(cf.lnPrice), 1.0);
  lnFair += noise;
  const S1 = Math.exp(next);
  perps.settle(S1);

  // 9. volatility, breaker, record, next oracle
  run.variance = updateVariance(run.variance, next - run.lnPrice);
  cf.variance = updateVariance(cf.variance, cfNext - cf.lnPrice);
  run.lnPrice = next;
  cf.lnPrice = cfNext;
  impliedVol = nextImpliedVol;
  prevPrice = S;
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
  put(Col.dealerFlow, t + 1, dealerQty * S);
  put(Col.ammFlow, t + 1, ammQty * S);
  put(Col.shockFlow, t + 1, shockNow);
  put(Col.valueFlow, t + 1, valueQty * S);
  put(Col.arbFlow, t + 1, arbQty * S);
  put(Col.cppiFlow, t + 1, cppiQty * S);
  put(Col.redemptionFlow, t + 1, redemptionQty * S);
  put(Col.liqLending, t + 1, lending.tickSoldUsd);
  put(Col.lendingBadDebt, t + 1, lending.tickBadDebt);
  put(Col.liqAccounts, t + 1, <f64>perps.tickAccounts);
  put(Col.liqQueue, t + 1, perps.queued() * S1);
  put(Col.deleverage, t + 1, perps.tickDeleverage * S);
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
  put(Col.oracle, t + 1, publishOracle(t + 1, oracle));
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
  return options.gexIfSpot(P_, tick, impliedVol);
}
