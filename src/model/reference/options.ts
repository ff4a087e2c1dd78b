/**
 * The option series the dealers trade, read from the grid block (see src/model/option-grid.ts):
 * type, strike ÷ spot, tenor in days, open-interest weight, which side customers hold, days to
 * the first expiry. The twin of assembly/options.ts; here every series is an object priced with
 * the full Black–Scholes formula.
 *
 * Implied vol has a term structure: the engine's implied-vol state is the level of the shortest
 * options; a series of T days moves √(TERM_REF_DAYS / T) as far from the baseline as that level
 * (at most as far), so a volatility spike lifts short-dated options most, as in every crash.
 */
import { MODEL, clockOf, type Clock, type EngineParams } from '../constants.ts';
import { bsm } from '../greeks.ts';
import { GRID_STRIDE, daysToTicks } from '../option-grid.ts';

export interface OptionSeries {
  isCall: boolean;
  moneyness: number;
  tenorTicks: number;
  /** Customers hold the series long (they bought it); dealers then hold it short when gex = 0. */
  customerLong: boolean;
  /** Running sum of the grid's weights up to and including this series. */
  cumulativeWeight: number;
  strike: number;
  expiryTick: number;
  /** Sum of every dealer's position in the series (contracts of one unit of the asset). */
  dealerNet: number;
  /** The options AMM's position in the series. */
  ammNet: number;
  /** Options other liquidity providers sold to dealers buying back (the vega loop): negative. */
  providerNet: number;
  /** Implied vol of the series this tick (term structure). */
  vol: number;
  /** How far the series' vol moves with the short-dated level: √(TERM_REF_DAYS / T), at most 1. */
  termWeight: number;
  price: number;
  /** Change of the series' value over the last tick (an expiring series settles at intrinsic value). */
  priceChange: number;
  delta: number;
  gamma: number;
  vega: number;
  /** Delta and gamma at a trial price of the tick (see `greeksAt`). */
  trialDelta: number;
  trialGamma: number;
}

/** Position of everyone who makes markets in the series: dealers, the AMM and the liquidity providers. */
function marketMakers(o: OptionSeries): number {
  return o.dealerNet + o.ammNet + o.providerNet;
}

export class Options {
  series: OptionSeries[] = [];
  private readonly p: EngineParams;
  private readonly clock: Clock;

  constructor(p: EngineParams) {
    this.p = p;
    this.clock = clockOf(p.clock);
  }

  /** List the grid's series at the start price. */
  initOptions(grid: Float64Array): void {
    const p = this.p;
    this.series = [];
    let cumulative = 0;
    for (let i = 0; i < grid.length / GRID_STRIDE; i++) {
      const [isCall, moneyness, tenorDays, weight, customerLong, firstExpiryDays] = grid.subarray(
        i * GRID_STRIDE,
        (i + 1) * GRID_STRIDE,
      );
      cumulative += weight;
      this.series.push({
        isCall: isCall === 1,
        moneyness,
        tenorTicks: daysToTicks(tenorDays, this.clock.ticksPerDay),
        customerLong: customerLong === 1,
        cumulativeWeight: cumulative,
        strike: p.price0 * moneyness,
        expiryTick: daysToTicks(firstExpiryDays, this.clock.ticksPerDay),
        dealerNet: 0,
        ammNet: 0,
        providerNet: 0,
        vol: 0,
        termWeight: 0,
        price: 0,
        priceChange: 0,
        delta: 0,
        gamma: 0,
        vega: 0,
        trialDelta: 0,
        trialGamma: 0,
      });
    }
  }

  /** The series a uniform draw u lands in: the first whose running weight exceeds u × total. */
  drawSeries(u: number): number {
    const target = u * this.series[this.series.length - 1].cumulativeWeight;
    const s = this.series.findIndex((o) => o.cumulativeWeight > target);
    return s < 0 ? this.series.length - 1 : s;
  }

  /** Implied vol of a series `ticksLeft` ticks from expiry when the short-dated level is `level`; sets its term weight. */
  private termVol(o: OptionSeries, level: number, ticksLeft: number): number {
    const days = ticksLeft / this.clock.ticksPerDay;
    o.termWeight = Math.min(1, Math.sqrt(MODEL.TERM_REF_DAYS / days));
    const vol0 = this.p.vol0;
    return Math.min(MODEL.MAX_IMPLIED_VOL, Math.max(MODEL.MIN_IMPLIED_VOL, vol0 + (level - vol0) * o.termWeight));
  }

  /**
   * Nobody holds an option in this run (no dealers, so no AMM book and no providers either: they
   * take only what dealers buy back). Then no Greek is ever read but to be multiplied by a zero
   * position, so none is computed: every figure of the book is 0 and the flip NaN, exactly as if
   * they were. Set by `noteHolders` at init.
   */
  private idle = false;

  /** Whether anyone holds any series, after the books are drawn. */
  noteHolders(): void {
    this.idle = this.series.every((o) => marketMakers(o) === 0);
  }

  /** Roll expired series (same tenor, same moneyness on today's spot), then mark every series at S. */
  priceOptions(S: number, t: number, level: number): void {
    if (this.idle) return;
    const p = this.p;
    for (const o of this.series) {
      let settled = -1;
      if (o.expiryTick <= t) {
        settled = Math.max(0, o.isCall ? S - o.strike : o.strike - S);
        o.expiryTick += o.tenorTicks;
        o.strike = S * o.moneyness;
      }
      const ticksLeft = o.expiryTick - t;
      o.vol = this.termVol(o, level, ticksLeft);
      const g = bsm(o.isCall ? 'call' : 'put', S, o.strike, ticksLeft * this.clock.dtYears, p.rate, p.dividend, o.vol);
      o.delta = hedgeDelta(g.delta, g.vega, o.vol, S);
      // An expiring series settles at intrinsic value; its successor starts at the market price.
      o.priceChange = t === 0 ? 0 : (settled >= 0 ? settled : g.price) - o.price;
      o.price = g.price;
      o.gamma = g.gamma;
      o.vega = g.vega;
    }
  }

  /** Delta and gamma of every series at trial price X (this tick's time and vols). */
  greeksAt(X: number, t: number): void {
    if (this.idle) return;
    const p = this.p;
    for (const o of this.series) {
      const g = bsm(
        o.isCall ? 'call' : 'put',
        X,
        o.strike,
        (o.expiryTick - t) * this.clock.dtYears,
        p.rate,
        p.dividend,
        o.vol,
      );
      o.trialDelta = hedgeDelta(g.delta, g.vega, o.vol, X);
      o.trialGamma = g.gamma;
    }
  }

  /** GEX per 1% move at S of everyone who makes markets in the options, from the Greeks at S. */
  gexAt(S: number): number {
    return this.series.reduce((g, o) => g + marketMakers(o) * o.gamma, 0) * S * S * MODEL.PER_PERCENT;
  }

  /** Market makers' vega per vol point, from the current Greeks. */
  dealerVega(): number {
    return this.series.reduce((v, o) => v + marketMakers(o) * o.vega, 0) * MODEL.PER_PERCENT;
  }

  /** Total vega per vol point of the customer book, whoever holds it: the scale of option demand. */
  bookVega(): number {
    return this.series.reduce((v, o) => v + Math.abs(marketMakers(o)) * o.vega, 0) * MODEL.PER_PERCENT;
  }

  /** Net position × trial delta of a book held per series (the AMM's, the providers'). */
  bookTrialDelta(net: (o: OptionSeries) => number): number {
    return this.series.reduce((d, o) => d + net(o) * o.trialDelta, 0);
  }

  bookTrialGamma(net: (o: OptionSeries) => number): number {
    return this.series.reduce((g, o) => g + net(o) * o.trialGamma, 0);
  }

  /** The AMM's gross delta Σ|position × delta| at the tick's open. */
  ammDeltaScale(): number {
    return this.series.reduce((d, o) => d + Math.abs(o.ammNet * o.delta), 0);
  }

  /**
   * Market makers' GEX per 1% move if spot were P, at time t and this tick's vols (the gamma
   * profile): P·PER_PERCENT·Σ w·φ(d1(P)) with w = position × e^(−qT)/(σ√T) and
   * d1 = (ln P − ln K + (r − q + σ²/2)T)/(σ√T) — the Black–Scholes gamma times P², written so
   * each price costs one exp per series, as in assembly/options.ts.
   */
  gexIfSpot(P: number, t: number): number {
    const p = this.p;
    const lnP = Math.log(P);
    let g = 0;
    for (const o of this.series) {
      const T = (o.expiryTick - t) * this.clock.dtYears;
      const volSqrtT = o.vol * Math.sqrt(T);
      const w = volSqrtT > 0 ? (marketMakers(o) * Math.exp(-p.dividend * T)) / (volSqrtT * SQRT_2PI) : 0;
      if (w === 0) continue;
      const d1 = (lnP - Math.log(o.strike) + (p.rate - p.dividend + 0.5 * o.vol * o.vol) * T) / volSqrtT;
      // Beyond ±30 the density is zero, as in normPdf (no subnormal terms).
      if (Math.abs(d1) <= 30) g += w * Math.exp(-0.5 * d1 * d1);
    }
    return g * P * MODEL.PER_PERCENT;
  }

  /**
   * The gamma flip nearest S: the price where the gamma profile changes sign, searched in steps
   * of FLIP_STEP × S out to ±FLIP_RANGE (the upper side first at each step), narrowed by
   * FLIP_REFINE bisections and finished by linear interpolation (so a rounding-sized difference in
   * the profile moves the result by a rounding-sized amount). NaN when the profile keeps its sign
   * over the whole range.
   */
  gammaFlip(S: number, t: number): number {
    if (this.idle) return NaN;
    const atSpot = this.gexIfSpot(S, t);
    if (atSpot === 0) return NaN;
    const steps = Math.round(MODEL.FLIP_RANGE / MODEL.FLIP_STEP);
    let inner = atSpot;
    let innerDown = atSpot;
    for (let k = 1; k <= steps; k++) {
      const up = S * (1 + MODEL.FLIP_STEP * k);
      const gUp = this.gexIfSpot(up, t);
      if (gUp * atSpot <= 0) return this.refineFlip(S * (1 + MODEL.FLIP_STEP * (k - 1)), inner, up, gUp, t);
      inner = gUp;
      const down = S * (1 - MODEL.FLIP_STEP * k);
      const gDown = this.gexIfSpot(down, t);
      if (gDown * atSpot <= 0) return this.refineFlip(S * (1 - MODEL.FLIP_STEP * (k - 1)), innerDown, down, gDown, t);
      innerDown = gDown;
    }
    return NaN;
  }

  /** Narrow a bracket [a, b] with profile values ga, gb of opposite signs (gb may be 0), then interpolate. */
  private refineFlip(a: number, ga: number, b: number, gb: number, t: number): number {
    for (let i = 0; i < MODEL.FLIP_REFINE; i++) {
      const mid = 0.5 * (a + b);
      const gm = this.gexIfSpot(mid, t);
      if (gm * ga > 0) {
        a = mid;
        ga = gm;
      } else {
        b = mid;
        gb = gm;
      }
    }
    return ga === gb ? 0.5 * (a + b) : a + (b - a) * (ga / (ga - gb));
  }
}

const SQRT_2PI = 2.5066282746310002;

/**
 * The delta dealers hedge with: Black–Scholes delta plus vega × the expected move of implied vol
 * with spot, ∂σ/∂S = −SPOT_VOL_BETA·σ/S (vol rises as price falls): the minimum-variance delta
 * of Hull & White (2017). A put's hedge delta is more negative than its Black–Scholes delta, the
 * more so the higher implied vol, so dealers short puts sell more as vol rises.
 */
function hedgeDelta(bsDelta: number, vega: number, iv: number, S: number): number {
  return bsDelta - (vega * MODEL.SPOT_VOL_BETA * iv) / S;
}
