// One tick of the market, in the fixed order of MODEL.md §1 (documented step by step in
// src/model/reference/engine.ts, which this file must match tick for tick). The run and its
// counterfactual advance in lockstep on the same noise and shock; the counterfactual has no
// dealers, no liquidations and no depth thinning.
import { P, Col, DT_YEARS, MARKET_STREAM, AGENT_STREAM } from './layout';
import { param } from './params';
import { Rng } from './rng';
import { Market, initMarket, shockUsdPerTick, depthFactor, updateVariance } from './market';
import { initOptions, priceOptions, gexAt, dealerVega, gexIfSpot } from './options';
import { initDealers, neutralizeDealers, rehedge } from './dealers';
import * as perps from './perps';

const marketRng = new Rng(0, MARKET_STREAM);
const agentRng = new Rng(0, AGENT_STREAM);

export let tick: i32 = 0;
export let ticks: i32 = 0;
let stride: i32 = 1;
/** Series columns, column-major: column c occupies [c·stride, (c+1)·stride). */
export let series = new StaticArray<f64>(Col.COUNT);

const run = new Market();
const cf = new Market();
let lnFair: f64 = 0;
let impliedVol: f64 = 0;
let shockUsd: f64 = 0;
let vol0: f64 = 0;
let shockStart: i32 = 0;
let shockEnd: i32 = 0;
let oracleDelay: i32 = 0;
let ivSpeed: f64 = 0;

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
  tick = 0;
  ticks = <i32>param(P.ticks);
  stride = ticks + 1;
  if (series.length != Col.COUNT * stride) series = new StaticArray<f64>(Col.COUNT * stride);
  else for (let i = 0; i < series.length; i++) unchecked(series[i] = 0);

  initMarket();
  const S0 = param(P.price0);
  vol0 = param(P.vol0);
  run.reset();
  cf.reset();
  lnFair = run.lnPrice;
  impliedVol = vol0;
  shockUsd = shockUsdPerTick();
  shockStart = <i32>param(P.shockStart);
  shockEnd = shockStart + <i32>param(P.shockTicks);
  oracleDelay = <i32>param(P.oracleDelay);
  ivSpeed = param(P.ivSpeed);

  initOptions(gridSeries);
  initDealers(agentRng);
  perps.initPerps(agentRng);
  priceOptions(S0, 0, impliedVol);
  neutralizeDealers();

  put(Col.oracle, 0, S0);
  put(Col.gex, 0, gexAt(S0));
  put(Col.dealerVega, 0, dealerVega());
  put(Col.depth, 0, 1);
  recordState(0);
}

function recordState(t: i32): void {
  put(Col.price, t, Math.exp(run.lnPrice));
  put(Col.cfPrice, t, Math.exp(cf.lnPrice));
  put(Col.fairValue, t, Math.exp(lnFair));
  put(Col.realizedVol, t, Math.sqrt(run.variance));
  put(Col.impliedVol, t, impliedVol);
  put(Col.cfRealizedVol, t, Math.sqrt(cf.variance));
}

export function advance(): void {
  const t = tick;
  const S = Math.exp(run.lnPrice);

  // 1. exogenous flow
  const noise = vol0 * Math.sqrt(DT_YEARS) * marketRng.normal();
  const shock = t >= shockStart && t < shockEnd ? -shockUsd : 0.0;

  // 2. oracle
  const oracle = get(Col.price, max(0, t - oracleDelay));

  // 3. dealers re-hedge
  priceOptions(S, t, impliedVol);
  const dealerQty = rehedge();
  const gex = gexAt(S);
  const vega = dealerVega();

  // 4. the vega loop (takes effect next tick)
  const nextImpliedVol = impliedVol + ivSpeed * (Math.sqrt(run.variance) - impliedVol);

  // 5. liquidations
  perps.trigger(oracle);
  const liqQty = perps.execute();

  // 7. value traders
  const valueQty = run.valueTrade(lnFair);
  const cfValueQty = cf.valueTrade(lnFair);

  // 8. price formation
  const depth = depthFactor(run.variance);
  const next = run.formPrice(noise, shock + (dealerQty + liqQty + valueQty) * S, depth);
  const cfNext = cf.formPrice(noise, shock + cfValueQty * Math.exp(cf.lnPrice), 1.0);
  lnFair += noise;
  const S1 = Math.exp(next);
  perps.settle(S1);

  // 9. volatility and the record
  run.variance = updateVariance(run.variance, next - run.lnPrice);
  cf.variance = updateVariance(cf.variance, cfNext - cf.lnPrice);
  run.lnPrice = next;
  cf.lnPrice = cfNext;
  impliedVol = nextImpliedVol;
  tick = t + 1;
  recordState(t + 1);
  put(Col.oracle, t + 1, get(Col.price, max(0, t + 1 - oracleDelay)));
  put(Col.gex, t + 1, gex);
  put(Col.dealerVega, t + 1, vega);
  put(Col.dealerFlow, t + 1, dealerQty * S);
  put(Col.shockFlow, t + 1, shock);
  put(Col.valueFlow, t + 1, valueQty * S);
  put(Col.liqLong, t + 1, perps.tickLiqLong);
  put(Col.liqShort, t + 1, perps.tickLiqShort);
  put(Col.liqAccounts, t + 1, <f64>perps.tickAccounts);
  put(Col.liqQueue, t + 1, perps.queued() * S1);
  put(Col.badDebt, t + 1, perps.tickBadDebt);
  put(Col.liqBonus, t + 1, perps.tickBonus);
  put(Col.depth, t + 1, depth);
}

/** GEX per 1% move at hypothetical spot P, now. */
export function gexProfileAt(P_: f64): f64 {
  return gexIfSpot(P_, tick, impliedVol);
}
