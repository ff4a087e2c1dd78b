/**
 * Price formation: the impact law with a book that refills, depth thinning, realized
 * volatility and value traders. Shared by the run and its counterfactual. The twin of
 * assembly/market.ts, which caches these parameters at init (`initMarket`); here every formula
 * reads them from the parameter block.
 */
import { MODEL, type EngineParams } from '../constants.ts';

/** State of one market: the run, or its counterfactual. */
export class Market {
  lnPrice = 0;
  /** Log price that noise alone (scaled by depth) has produced. */
  lnNoise = 0;
  /** Signed order flow still pressing on the price (normal-depth USD): the part that never decays … */
  permanentFlow = 0;
  /** … and the part that decays as the book refills. */
  transientFlow = 0;
  variance = 0;
  valuePosition = 0;
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
    this.valuePosition = 0;
  }

  /**
   * Price formation. The tick's net flow, scaled up by how thin the book is now (flow ÷ depth),
   * joins the flow pressing on the price — a share φ for good, the rest decaying as the book
   * refills — and the log price is the noise path plus the impact of all that pressing flow.
   * Thinning thus makes new flow hit harder without re-pricing the old. Noise is scaled by
   * 1/√depth, as the square-root law scales flow. Bounded so the price stays finite and
   * positive. Returns the new log price (the caller stores it).
   */
  formPrice(noise: number, flowUsd: number, depth: number): number {
    const p = this.p;
    const effective = flowUsd / depth;
    this.permanentFlow += p.permanentImpact * effective;
    this.transientFlow = transientKeep(p) * this.transientFlow + (1 - p.permanentImpact) * effective;
    this.lnNoise += noise / Math.sqrt(depth);
    const move = this.lnNoise + impact(p, this.permanentFlow + this.transientFlow) - Math.log(p.price0);
    return Math.log(p.price0) + Math.min(MODEL.LOG_PRICE_BOUND, Math.max(-MODEL.LOG_PRICE_BOUND, move));
  }

  /** A halted tick: nothing trades, the book refills and news accumulates; the price shows it on reopen. */
  holdPrice(noise: number, depth: number): number {
    this.transientFlow = transientKeep(this.p) * this.transientFlow;
    this.lnNoise += noise / Math.sqrt(depth);
    return this.lnPrice;
  }

  /**
   * Value traders hold a position that grows from 0 at a discount of `valueBand` below fair value
   * to all their capital at twice that discount; they close the gap a share VALUE_SPEED a tick.
   * Returns their trade this tick (units).
   */
  valueTrade(lnFair: number): number {
    const p = this.p;
    const discount = lnFair - this.lnPrice;
    const invested = Math.min(1, Math.max(0, (discount - p.valueBand) / p.valueBand));
    const target = (p.valueCapital / Math.exp(this.lnPrice)) * invested;
    const trade = MODEL.VALUE_SPEED * (target - this.valuePosition);
    this.valuePosition += trade;
    return trade;
  }
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
  const total = p.impactLaw === MODEL.IMPACT_LINEAR
    ? (drop * p.dailyVolume) / (MODEL.LINEAR_MATCH * p.impactY * dailyVol(p))
    : p.dailyVolume * (drop / (p.impactY * dailyVol(p))) ** 2;
  return total / pressing;
}

/** Depth as a share of normal: 1/(1 + thinning·max(0, σ_realized/σ₀ − 1)), never below MIN_DEPTH. */
export function depthFactor(p: EngineParams, variance: number): number {
  return Math.max(MODEL.MIN_DEPTH, 1 / (1 + p.depthThinning * Math.max(0, Math.sqrt(variance) / p.vol0 - 1)));
}

/** EWMA of squared log returns, annualized. */
export function updateVariance(p: EngineParams, variance: number, logReturn: number): number {
  const keep = Math.pow(0.5, 1 / p.volHalfLife);
  return keep * variance + ((1 - keep) * logReturn * logReturn) / MODEL.DT_YEARS;
}

function dailyVol(p: EngineParams): number {
  return p.vol0 / Math.sqrt(365);
}

/** Per-tick share of the transient flow that remains: the book refills with half-life `impactHalfLife`. */
function transientKeep(p: EngineParams): number {
  return Math.pow(0.5, 1 / p.impactHalfLife);
}
