/**
 * Price formation: the impact law with a book that refills, depth thinning, realized
 * volatility and value traders. Shared by the run and its counterfactual. The twin of
 * assembly/market.ts, which caches these parameters at init (`initMarket`); here every formula
 * reads them from the parameter block.
 *
 * A tick's price is formed in three moves: `openTick` adds the tick's noise; the engine then
 * asks `priceFor(flow)` and `slopeFor(flow)` while it solves for the price at which the agents
 * who trade at the tick's own price (dealers' hedges, value traders) are in it; `closeTick`
 * books the flow that was traded.
 */
import { MODEL, clockOf, type EngineParams } from '../constants.ts';

/** State of one market: the run, or its counterfactual. */
export class Market {
  lnPrice = 0;
  /** Log price that noise alone has produced. */
  lnNoise = 0;
  /** Signed order flow still pressing on the price (normal-depth USD): the part that never decays … */
  permanentFlow = 0;
  /** … and the part that decays as the book refills. */
  transientFlow = 0;
  /** EWMA of squared log returns (annualized), half-life `volHalfLife`: what liquidity providers watch. */
  variance = 0;
  /** The same over a half-life of one trading day: what option and margin desks watch. */
  dayVariance = 0;
  valuePosition = 0;
  /** Flow pressing on the price at this tick before its own trades (set by `openTick`). */
  pressing = 0;
  /** Fair value the value traders see (the noise path); set by the engine each tick. */
  lnFair = 0;
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
  }

  /** Back to the start price and baseline volatility. */
  reset(): void {
    const ln0 = Math.log(this.p.price0);
    this.lnPrice = ln0;
    this.lnNoise = ln0;
    this.permanentFlow = 0;
    this.transientFlow = 0;
    this.variance = this.p.vol0 * this.p.vol0;
    this.dayVariance = this.p.vol0 * this.p.vol0;
    this.valuePosition = 0;
    this.pressing = 0;
  }

  /** Start a trading tick: the noise moves the price; the book refills by one tick. */
  openTick(noise: number): void {
    this.lnNoise += noise;
    this.pressing = this.permanentFlow + transientKeep(this.p) * this.transientFlow;
  }

  /**
   * The log price this tick forms if its net flow is `flowUsd` (+ buys) at depth `depth`: the
   * noise path plus the impact of all the flow pressing on the price, the tick's own scaled up by
   * how thin the book is (flow ÷ depth), so thinning makes new flow hit harder without
   * re-pricing the old. Bounded so the price stays finite and positive.
   */
  priceFor(flowUsd: number, depth: number): number {
    const ln0 = Math.log(this.p.price0);
    const move = this.lnNoise + impact(this.p, this.pressing + flowUsd / depth) - ln0;
    return ln0 + Math.min(MODEL.LOG_PRICE_BOUND, Math.max(-MODEL.LOG_PRICE_BOUND, move));
  }

  /** d priceFor / d flowUsd: how much one more dollar of flow moves this tick's log price. */
  slopeFor(flowUsd: number, depth: number): number {
    const pressed = this.pressing + flowUsd / depth;
    const move = this.lnNoise + impact(this.p, pressed) - Math.log(this.p.price0);
    if (Math.abs(move) >= MODEL.LOG_PRICE_BOUND) return 0;
    return impactSlope(this.p, pressed) / depth;
  }

  /**
   * Book the tick's traded flow — a share φ (`permanentImpact`) for good, the rest decaying as
   * the book refills — and return the log price it formed (the caller stores it).
   */
  closeTick(flowUsd: number, depth: number): number {
    const p = this.p;
    const next = this.priceFor(flowUsd, depth);
    const effective = flowUsd / depth;
    this.permanentFlow += p.permanentImpact * effective;
    this.transientFlow = transientKeep(p) * this.transientFlow + (1 - p.permanentImpact) * effective;
    return next;
  }

  /**
   * A halted tick: nothing trades, but the book refills as it does in time (the propagator's
   * kernel decays in time, not in trades: Bouchaud et al. 2004; market makers quote into the
   * reopening) and news accumulates in the noise path. Returns the unchanged log price.
   */
  holdTick(noise: number): number {
    this.lnNoise += noise;
    this.transientFlow = transientKeep(this.p) * this.transientFlow;
    return this.lnPrice;
  }

  /** Value traders' target position (units) if the tick's log price were x. */
  valueTarget(x: number): number {
    return (this.p.valueCapital / Math.exp(x)) * invested(this.p, this.lnFair - x);
  }

  /**
   * Value traders' trade (units) at log price x: a share VALUE_SPEED of the gap to target; a
   * position it would leave below dust (POSITION_DUST of their capital in units at the start
   * price) is closed, or decaying to a zero target it would shrink into subnormal numbers.
   */
  valueTrade(x: number): number {
    const trade = MODEL.VALUE_SPEED * (this.valueTarget(x) - this.valuePosition);
    const dust = (MODEL.POSITION_DUST * this.p.valueCapital) / this.p.price0;
    return Math.abs(this.valuePosition + trade) < dust ? -this.valuePosition : trade;
  }

  /** d valueTrade / dx. */
  valueTradeSlope(x: number): number {
    const discount = this.lnFair - x;
    const scale = this.p.valueCapital / Math.exp(x);
    return MODEL.VALUE_SPEED * (-scale * invested(this.p, discount) - scale * investedSlope(this.p, discount));
  }
}

/**
 * Share of their capital value traders hold at a discount d below fair value: nothing up to
 * `valueBand`, then 1 − exp(−(d − band)/band): it grows smoothly with the discount and
 * saturates at their capital (63% at twice the band, 95% at four times).
 */
function invested(p: EngineParams, discount: number): number {
  const excess = discount - p.valueBand;
  return excess > 0 ? 1 - Math.exp(-excess / p.valueBand) : 0;
}

function investedSlope(p: EngineParams, discount: number): number {
  const excess = discount - p.valueBand;
  return excess > 0 ? Math.exp(-excess / p.valueBand) / p.valueBand : 0;
}

/**
 * Log-price impact of the flow pressing on the price (`usd`, in normal-depth dollars; + buys),
 * with V the daily volume in USD. Square-root law: sign(Q)·Y·σ_daily·√(|Q|/V). Linear (Kyle)
 * law: λ·Q with λ = LINEAR_MATCH·Y·σ_daily/V, equal to the square-root law at Q = V/LINEAR_MATCH².
 */
function impact(p: EngineParams, usd: number): number {
  const V = p.dailyVolume;
  if (p.impactLaw === MODEL.IMPACT_LINEAR) return (MODEL.LINEAR_MATCH * p.impactY * dailyVol(p) * usd) / V;
  return Math.sign(usd) * p.impactY * dailyVol(p) * Math.sqrt(Math.abs(usd) / V);
}

/** d impact / d usd; the square-root law's is taken at no less than a dollar, where it is finite. */
function impactSlope(p: EngineParams, usd: number): number {
  const V = p.dailyVolume;
  if (p.impactLaw === MODEL.IMPACT_LINEAR) return (MODEL.LINEAR_MATCH * p.impactY * dailyVol(p)) / V;
  return (0.5 * p.impactY * dailyVol(p)) / Math.sqrt(Math.max(1, Math.abs(usd)) * V);
}

/**
 * The sell program per tick (USD) that, alone and at normal depth, leaves the price down by
 * exactly `shock` when the program ends: the flow still pressing then is
 * q·(φ·k + (1 − φ)·Σ_{j<k} keep^j), and the impact law is inverted for it.
 */
export function shockUsdPerTick(p: EngineParams): number {
  if (p.shock <= 0) return 0;
  const drop = -Math.log(1 - p.shock);
  const keep = transientKeep(p);
  let decayed = 0;
  let weight = 1;
  for (let j = 0; j < p.shockTicks; j++) {
    decayed += weight;
    weight *= keep;
  }
  const pressing = p.permanentImpact * p.shockTicks + (1 - p.permanentImpact) * decayed;
  const total =
    p.impactLaw === MODEL.IMPACT_LINEAR
      ? (drop * p.dailyVolume) / (MODEL.LINEAR_MATCH * p.impactY * dailyVol(p))
      : p.dailyVolume * (drop / (p.impactY * dailyVol(p))) ** 2;
  return total / pressing;
}

/**
 * Depth as a share of normal: liquidity providers quote less the more the market has just moved
 * (realized vol over `volHalfLife`) and the more it expects to move (implied vol: Kyle's λ grows
 * with the volatility of value; Nagel 2012 finds liquidity provision withdraws as VIX rises):
 * 1/(1 + thinning·(max(0, σ_real/σ₀ − 1) + max(0, σ_imp/σ₀ − 1))), never below MIN_DEPTH.
 */
export function depthFactor(p: EngineParams, variance: number, impliedVol: number): number {
  const stress = Math.max(0, Math.sqrt(variance) / p.vol0 - 1) + Math.max(0, impliedVol / p.vol0 - 1);
  return Math.max(MODEL.MIN_DEPTH, 1 / (1 + p.depthThinning * stress));
}

/** Both EWMAs of squared log returns, annualized, after a tick's log return. */
export function updateVariances(p: EngineParams, m: Market, logReturn: number): void {
  const clock = clockOf(p.clock);
  const keep = Math.pow(0.5, 1 / p.volHalfLife);
  const dayKeep = Math.pow(0.5, 1 / clock.ticksPerDay);
  const squared = (logReturn * logReturn) / clock.dtYears;
  m.variance = keep * m.variance + (1 - keep) * squared;
  m.dayVariance = dayKeep * m.dayVariance + (1 - dayKeep) * squared;
}

function dailyVol(p: EngineParams): number {
  return p.vol0 / Math.sqrt(clockOf(p.clock).daysPerYear);
}

/** Per-tick share of the transient flow that remains: the book refills with half-life `impactHalfLife`. */
function transientKeep(p: EngineParams): number {
  return Math.pow(0.5, 1 / p.impactHalfLife);
}
