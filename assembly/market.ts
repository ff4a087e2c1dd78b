// Price formation: the impact law with a book that refills, depth thinning, realized
// volatility and value traders. Shared by the run and its counterfactual; the formulas are
// documented in its twin src/model/reference/market.ts, which this file must match.
import { P, DT_YEARS, IMPACT_LINEAR, LINEAR_MATCH, LOG_PRICE_BOUND, MIN_DEPTH, VALUE_SPEED } from './layout';
import { param } from './params';

let dailyVolume: f64 = 0;
let dailyVol: f64 = 0;
let impactY: f64 = 0;
let linearLaw: bool = false;
let thinning: f64 = 0;
let vol0: f64 = 0;
let varianceKeep: f64 = 0;
let transientKeep: f64 = 0;
let permanentShare: f64 = 0;
let ln0: f64 = 0;
let valueCapital: f64 = 0;
let valueBand: f64 = 0;

/** State of one market: the run, or its counterfactual. Two are allocated, once. */
export class Market {
  lnPrice: f64 = 0;
  /** Log price that noise alone (scaled by depth) has produced. */
  lnNoise: f64 = 0;
  /** Signed flow still pressing on the price (normal-depth USD): the part that never decays … */
  permanentFlow: f64 = 0;
  /** … and the part that decays as the book refills. */
  transientFlow: f64 = 0;
  variance: f64 = 0;
  valuePosition: f64 = 0;

  /** Back to the start price and baseline volatility. Called by `init`. */
  reset(): void {
    this.lnPrice = ln0;
    this.lnNoise = ln0;
    this.permanentFlow = 0;
    this.transientFlow = 0;
    this.variance = vol0 * vol0;
    this.valuePosition = 0;
  }

  /** Add the tick's net flow and noise; returns the new log price (the caller stores it). Called every tick. */
  formPrice(noise: f64, flowUsd: f64, depth: f64): f64 {
    const effective = flowUsd / depth;
    this.permanentFlow += permanentShare * effective;
    this.transientFlow = transientKeep * this.transientFlow + (1.0 - permanentShare) * effective;
    this.lnNoise += noise / Math.sqrt(depth);
    const move = this.lnNoise + impact(this.permanentFlow + this.transientFlow) - ln0;
    return ln0 + Math.min(LOG_PRICE_BOUND, Math.max(-LOG_PRICE_BOUND, move));
  }

  /** A halted tick: nothing trades, the book refills and news accumulates; returns the unchanged log price. */
  holdPrice(noise: f64, depth: f64): f64 {
    this.transientFlow = transientKeep * this.transientFlow;
    this.lnNoise += noise / Math.sqrt(depth);
    return this.lnPrice;
  }

  /** Value traders' trade this tick; updates their position. Called every tick. */
  valueTrade(lnFair: f64): f64 {
    const discount = lnFair - this.lnPrice;
    const invested = Math.min(1.0, Math.max(0.0, (discount - valueBand) / valueBand));
    const target = (valueCapital / Math.exp(this.lnPrice)) * invested;
    const trade = VALUE_SPEED * (target - this.valuePosition);
    this.valuePosition += trade;
    return trade;
  }
}

/** Cache the market's parameters. Called by `init`. */
export function initMarket(): void {
  ln0 = Math.log(param(P.price0));
  dailyVolume = param(P.dailyVolume);
  vol0 = param(P.vol0);
  dailyVol = vol0 / Math.sqrt(365.0);
  impactY = param(P.impactY);
  linearLaw = <i32>param(P.impactLaw) == IMPACT_LINEAR;
  thinning = param(P.depthThinning);
  varianceKeep = Math.pow(0.5, 1.0 / param(P.volHalfLife));
  transientKeep = Math.pow(0.5, 1.0 / param(P.impactHalfLife));
  permanentShare = param(P.permanentImpact);
  valueCapital = param(P.valueCapital);
  valueBand = param(P.valueBand);
}

/** Log-price impact of the flow pressing on the price (normal-depth USD, + buys). */
function impact(usd: f64): f64 {
  const V = dailyVolume;
  if (linearLaw) return (LINEAR_MATCH * impactY * dailyVol * usd) / V;
  return Math.sign(usd) * impactY * dailyVol * Math.sqrt(Math.abs(usd) / V);
}

/** The sell program per tick (USD) that alone, at normal depth, leaves the price down by `shock` when it ends. */
export function shockUsdPerTick(): f64 {
  const shock = param(P.shock);
  if (shock <= 0) return 0;
  const drop = -Math.log(1 - shock);
  const k = <i32>param(P.shockTicks);
  let decayed = 0.0;
  let weight = 1.0;
  for (let j = 0; j < k; j++) {
    decayed += weight;
    weight *= transientKeep;
  }
  const pressing = permanentShare * <f64>k + (1.0 - permanentShare) * decayed;
  let total: f64;
  if (linearLaw) {
    total = (drop * dailyVolume) / (LINEAR_MATCH * impactY * dailyVol);
  } else {
    const r = drop / (impactY * dailyVol);
    total = dailyVolume * r * r;
  }
  return total / pressing;
}

/** Depth as a share of normal; thins as realized vol rises above baseline. */
export function depthFactor(variance: f64): f64 {
  return Math.max(MIN_DEPTH, 1.0 / (1.0 + thinning * Math.max(0.0, Math.sqrt(variance) / vol0 - 1.0)));
}

/** EWMA of squared log returns, annualized. */
export function updateVariance(variance: f64, logReturn: f64): f64 {
  return varianceKeep * variance + ((1.0 - varianceKeep) * logReturn * logReturn) / DT_YEARS;
}
