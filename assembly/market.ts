// Price formation: the impact law with a book that refills, depth thinning, realized
// volatility and value traders. Shared by the run and its counterfactual; the reference engine
// (src/model/reference/market.ts) is the same step for step.
//
// A tick's price is formed in three moves: `openTick` adds the tick's noise; the engine then
// asks `priceFor(flow)` and `slopeFor(flow)` while it solves for the price at which the agents
// who trade at the tick's own price (dealers' hedges, value traders) are in it; `closeTick`
// books the flow that was traded.
import { P, IMPACT_LINEAR, LINEAR_MATCH, LOG_PRICE_BOUND, MIN_DEPTH, POSITION_DUST, VALUE_SPEED } from './layout';
import { param } from './params';
import { dtYears, daysPerYear, ticksPerDay } from './clock';

let dailyVolume: f64 = 0;
let dailyVol: f64 = 0;
let impactY: f64 = 0;
let linearLaw: bool = false;
let thinning: f64 = 0;
let vol0: f64 = 0;
let varianceKeep: f64 = 0;
let dayVarianceKeep: f64 = 0;
let transientKeep: f64 = 0;
let permanentShare: f64 = 0;
let ln0: f64 = 0;
let valueCapital: f64 = 0;
let valueBand: f64 = 0;
/** Value traders' position below which it is closed (POSITION_DUST of their capital in units at the start price). */
let valueDust: f64 = 0;

/** State of one market: the run, or its counterfactual. Two are allocated, once. */
export class Market {
  lnPrice: f64 = 0;
  /** Log price that noise alone has produced. */
  lnNoise: f64 = 0;
  /** Signed flow still pressing on the price (normal-depth USD): the part that never decays … */
  permanentFlow: f64 = 0;
  /** … and the part that decays as the book refills. */
  transientFlow: f64 = 0;
  /** EWMA of squared log returns (annualized), half-life `volHalfLife`: what liquidity providers watch. */
  variance: f64 = 0;
  /** The same over a half-life of one trading day: what option and margin desks watch. */
  dayVariance: f64 = 0;
  valuePosition: f64 = 0;
  /** Flow pressing on the price at this tick before its own trades (set by `openTick`). */
  pressing: f64 = 0;

  /** Back to the start price and baseline volatility. Called by `init`. */
  reset(): void {
    this.lnPrice = ln0;
    this.lnNoise = ln0;
    this.permanentFlow = 0;
    this.transientFlow = 0;
    this.variance = vol0 * vol0;
    this.dayVariance = vol0 * vol0;
    this.valuePosition = 0;
    this.pressing = 0;
  }

  /** Start a trading tick: the noise moves the price; the book refills by one tick. Called every tick the venue trades. */
  openTick(noise: f64): void {
    this.lnNoise += noise;
    this.pressing = this.permanentFlow + transientKeep * this.transientFlow;
  }

  /** The log price this tick forms if its net flow is `flowUsd` (+ buys) at depth `depth`. */
  priceFor(flowUsd: f64, depth: f64): f64 {
    const move = this.lnNoise + impact(this.pressing + flowUsd / depth) - ln0;
    return ln0 + Math.min(LOG_PRICE_BOUND, Math.max(-LOG_PRICE_BOUND, move));
  }

  /** d priceFor / d flowUsd: how much one more dollar of flow moves this tick's log price. */
  slopeFor(flowUsd: f64, depth: f64): f64 {
    const pressed = this.pressing + flowUsd / depth;
    const move = this.lnNoise + impact(pressed) - ln0;
    if (Math.abs(move) >= LOG_PRICE_BOUND) return 0;
    return impactSlope(pressed) / depth;
  }

  /** Book the tick's traded flow; returns the log price it formed (the caller stores it). */
  closeTick(flowUsd: f64, depth: f64): f64 {
    const next = this.priceFor(flowUsd, depth);
    const effective = flowUsd / depth;
    this.permanentFlow += permanentShare * effective;
    this.transientFlow = transientKeep * this.transientFlow + (1.0 - permanentShare) * effective;
    return next;
  }

  /**
   * A halted tick: nothing trades, but the book refills as it does in time (the propagator's
   * kernel decays in time, not in trades: Bouchaud et al. 2004; market makers quote into the
   * reopening) and news accumulates in the noise path. Returns the unchanged log price.
   */
  holdTick(noise: f64): f64 {
    this.lnNoise += noise;
    this.transientFlow = transientKeep * this.transientFlow;
    return this.lnPrice;
  }

  /** Value traders' target position (units) if the tick's log price were x. */
  valueTarget(x: f64): f64 {
    return (valueCapital / Math.exp(x)) * invested(this.lnFair - x);
  }

  /** Fair value the value traders see (the noise path); set by the engine each tick. */
  lnFair: f64 = 0;

  /**
   * Value traders' trade (units) at log price x: a share VALUE_SPEED of the gap to target; a
   * position it would leave below dust is closed (decaying to a zero target, it would otherwise
   * shrink tick after tick into subnormal numbers).
   */
  valueTrade(x: f64): f64 {
    const trade = VALUE_SPEED * (this.valueTarget(x) - this.valuePosition);
    return Math.abs(this.valuePosition + trade) < valueDust ? -this.valuePosition : trade;
  }

  /** d valueTrade / dx. */
  valueTradeSlope(x: f64): f64 {
    const discount = this.lnFair - x;
    const scale = valueCapital / Math.exp(x);
    return VALUE_SPEED * (-scale * invested(discount) - scale * investedSlope(discount));
  }
}

/**
 * Share of their capital value traders hold at a discount d below fair value: nothing up to
 * `valueBand`, then 1 − exp(−(d − band)/band): it grows smoothly with the discount and
 * saturates at their capital (63% at twice the band, 95% at four times).
 */
// @ts-ignore: decorator
@inline function invested(discount: f64): f64 {
  const excess = discount - valueBand;
  return excess > 0 ? 1.0 - Math.exp(-excess / valueBand) : 0.0;
}

// @ts-ignore: decorator
@inline function investedSlope(discount: f64): f64 {
  const excess = discount - valueBand;
  return excess > 0 ? Math.exp(-excess / valueBand) / valueBand : 0.0;
}

/** Cache the market's parameters. Called by `init`, after the clock. */
export function initMarket(): void {
  ln0 = Math.log(param(P.price0));
  dailyVolume = param(P.dailyVolume);
  vol0 = param(P.vol0);
  dailyVol = vol0 / Math.sqrt(daysPerYear);
  impactY = param(P.impactY);
  linearLaw = <i32>param(P.impactLaw) == IMPACT_LINEAR;
  thinning = param(P.depthThinning);
  varianceKeep = Math.pow(0.5, 1.0 / param(P.volHalfLife));
  dayVarianceKeep = Math.pow(0.5, 1.0 / <f64>ticksPerDay);
  transientKeep = Math.pow(0.5, 1.0 / param(P.impactHalfLife));
  permanentShare = param(P.permanentImpact);
  valueCapital = param(P.valueCapital);
  valueBand = param(P.valueBand);
  valueDust = POSITION_DUST * valueCapital / param(P.price0);
}

/** Log-price impact of the flow pressing on the price (normal-depth USD, + buys). */
function impact(usd: f64): f64 {
  const V = dailyVolume;
  if (linearLaw) return (LINEAR_MATCH * impactY * dailyVol * usd) / V;
  return Math.sign(usd) * impactY * dailyVol * Math.sqrt(Math.abs(usd) / V);
}

/** d impact / d usd; the square-root law's is taken at no less than a dollar, where it is finite. */
function impactSlope(usd: f64): f64 {
  const V = dailyVolume;
  if (linearLaw) return (LINEAR_MATCH * impactY * dailyVol) / V;
  return (0.5 * impactY * dailyVol) / Math.sqrt(Math.max(1.0, Math.abs(usd)) * V);
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

/**
 * Depth as a share of normal: liquidity providers quote less the more the market has just moved
 * (realized vol over `volHalfLife`) and the more it expects to move (implied vol: Kyle's λ grows
 * with the volatility of value; Nagel 2012 finds liquidity provision withdraws as VIX rises).
 */
export function depthFactor(variance: f64, impliedVol: f64): f64 {
  const stress = Math.max(0.0, Math.sqrt(variance) / vol0 - 1.0) + Math.max(0.0, impliedVol / vol0 - 1.0);
  return Math.max(MIN_DEPTH, 1.0 / (1.0 + thinning * stress));
}

/** Both EWMAs of squared log returns, annualized, after a tick's log return. Called every tick for both markets. */
export function updateVariances(m: Market, logReturn: f64): void {
  const squared = (logReturn * logReturn) / dtYears;
  m.variance = varianceKeep * m.variance + (1.0 - varianceKeep) * squared;
  m.dayVariance = dayVarianceKeep * m.dayVariance + (1.0 - dayVarianceKeep) * squared;
}
