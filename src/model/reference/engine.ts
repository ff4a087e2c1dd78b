/**
 * The reference engine: the market model of MODEL.md written plainly, for reading and for
 * checking. It is the oracle of the differential tests (the WASM engine must match it tick for
 * tick) and the baseline of the benchmark. It favours the obvious over the fast: it scans every
 * account every tick, prices every option series with the full Black–Scholes formula and keeps
 * agents as arrays of objects.
 *
 * One tick, in this fixed order (MODEL.md §1):
 *   1. exogenous flow: a noise return (seeded Gaussian) and the scripted sell program;
 *   2. oracle: the price protocols see is the traded price `oracleDelay` ticks ago;
 *   3. dealers re-hedge toward delta-neutral when outside their band (the gamma loop);
 *   4. implied vol moves toward realized vol (the vega loop);
 *   5. liquidations: accounts whose liquidation price the oracle crossed join a FIFO queue,
 *      of which a share `liqSpeed` executes this tick;
 *   6. (threshold sellers: none yet)
 *   7. value traders buy below fair value with finite capital;
 *   8. price formation: net flow moves the log price through the impact law at the current
 *      depth; liquidations settle at the new price (bonus, bad debt);
 *   9. realized vol and the tick's series are recorded.
 * The counterfactual runs in lockstep on the same noise and shock with dealers, liquidations
 * and depth thinning (the liquidity-withdrawal loop) switched off; value traders stay.
 */
import type { Engine } from '../engine.ts';
import { bsm } from '../greeks.ts';
import { Rng } from '../rng.ts';
import { SERIES_KEYS, type SeriesKey } from '../series.ts';
import { MODEL, readBlock, type EngineParams } from '../constants.ts';
import { GRID_STRIDE, defaultOptionGrid, tenorTicks, toGridBlock } from '../option-grid.ts';

interface OptionSeries {
  isCall: boolean;
  moneyness: number;
  tenorTicks: number;
  /** Running sum of the grid's weights up to and including this series. */
  cumulativeWeight: number;
  strike: number;
  expiryTick: number;
  /** Sum of every dealer's position in this series (contracts of one unit of the asset). */
  dealerNet: number;
  delta: number;
  gamma: number;
  vega: number;
}

interface Dealer {
  series: number[];
  positions: number[];
  hedge: number;
  band: number;
  rate: number;
}

interface Account {
  index: number;
  isLong: boolean;
  qty: number;
  entry: number;
  leverage: number;
  liqPrice: number;
  remaining: number;
  triggered: boolean;
}

/** State of one market: the run, or its counterfactual. */
interface MarketState {
  lnPrice: number;
  /** Log price that noise alone (scaled by depth) has produced. */
  lnNoise: number;
  /** Signed order flow still pressing on the price (USD at the price traded): the part that never decays … */
  permanentFlow: number;
  /** … and the part that decays as the book refills. */
  transientFlow: number;
  variance: number;
  valuePosition: number;
}

function newMarket(p: EngineParams): MarketState {
  const ln0 = Math.log(p.price0);
  return { lnPrice: ln0, lnNoise: ln0, permanentFlow: 0, transientFlow: 0, variance: p.vol0 * p.vol0, valuePosition: 0 };
}

export class ReferenceEngine implements Engine {
  readonly kind = 'reference' as const;
  tick = 0;
  ticks = 0;

  private p!: EngineParams;
  private marketRng!: Rng;
  private seriesCols = new Map<SeriesKey, Float64Array>();
  private options: OptionSeries[] = [];
  private dealers: Dealer[] = [];
  private accounts: Account[] = [];
  private longQueue: Account[] = [];
  private shortQueue: Account[] = [];
  private run!: MarketState;
  private cf!: MarketState;
  private lnFair = 0;
  private impliedVol = 0;
  private shockUsdPerTick = 0;

  init(block: Float64Array, grid: Float64Array = toGridBlock(defaultOptionGrid())): void {
    const p = readBlock(block);
    this.p = p;
    this.tick = 0;
    this.ticks = p.ticks;
    this.seriesCols = new Map(SERIES_KEYS.map((k) => [k, new Float64Array(p.ticks + 1)]));
    this.marketRng = new Rng(p.seed, MODEL.MARKET_STREAM);
    const agentRng = new Rng(p.seed, MODEL.AGENT_STREAM);

    const ln0 = Math.log(p.price0);
    this.run = newMarket(p);
    this.cf = newMarket(p);
    this.lnFair = ln0;
    this.impliedVol = p.vol0;
    this.shockUsdPerTick = shockUsdPerTick(p);

    this.options = [];
    let cumulative = 0;
    for (let i = 0; i < grid.length / GRID_STRIDE; i++) {
      const [isCall, moneyness, tenorDays, weight] = grid.subarray(i * GRID_STRIDE, (i + 1) * GRID_STRIDE);
      cumulative += weight;
      const ticksToExpiry = tenorTicks(tenorDays);
      this.options.push({
        isCall: isCall === 1,
        moneyness,
        tenorTicks: ticksToExpiry,
        cumulativeWeight: cumulative,
        strike: p.price0 * moneyness,
        expiryTick: ticksToExpiry,
        dealerNet: 0,
        delta: 0,
        gamma: 0,
        vega: 0,
      });
    }

    this.dealers = [];
    const contractsPerPosition = p.dealers > 0 ? p.optionOI / (MODEL.POSITIONS_PER_DEALER * p.dealers * p.price0) : 0;
    for (let d = 0; d < p.dealers; d++) {
      const dealer: Dealer = { series: [], positions: [], hedge: 0, band: 0, rate: 0 };
      let book = 0;
      for (let j = 0; j < MODEL.POSITIONS_PER_DEALER; j++) {
        // A position lands in a series with probability proportional to its open interest.
        const target = agentRng.uniform() * cumulative;
        let s = this.options.findIndex((o) => o.cumulativeWeight > target);
        if (s < 0) s = this.options.length - 1;
        const size = contractsPerPosition * Math.exp(MODEL.SIZE_SIGMA * agentRng.normal() - (MODEL.SIZE_SIGMA * MODEL.SIZE_SIGMA) / 2);
        const position = p.gex * size;
        dealer.series.push(s);
        dealer.positions.push(position);
        this.options[s].dealerNet += position;
        book += Math.abs(position);
      }
      dealer.band = p.hedgeBand * book * (0.5 + agentRng.uniform());
      dealer.rate = Math.min(1, p.hedgeRate * (0.5 + agentRng.uniform()));
      this.dealers.push(dealer);
    }

    this.accounts = [];
    const notionalPerAccount = p.accounts > 0 ? p.perpOI / p.accounts : 0;
    for (let a = 0; a < p.accounts; a++) {
      const isLong = agentRng.uniform() < p.longShare;
      const notional = notionalPerAccount * Math.exp(MODEL.NOTIONAL_SIGMA * agentRng.normal() - (MODEL.NOTIONAL_SIGMA * MODEL.NOTIONAL_SIGMA) / 2);
      const leverage = Math.min(MODEL.MAX_LEVERAGE, Math.max(1, p.leverage * Math.exp(MODEL.LEVERAGE_SIGMA * agentRng.normal() - (MODEL.LEVERAGE_SIGMA * MODEL.LEVERAGE_SIGMA) / 2)));
      // An account whose liquidation price the start price has already crossed would have been
      // liquidated before the run: redraw its entry (a bounded number of times, then enter at spot).
      let entry = p.price0;
      for (let attempt = 0; attempt < MODEL.ENTRY_ATTEMPTS; attempt++) {
        const candidate = p.price0 * Math.exp(p.entrySpread * agentRng.normal());
        const liq = liquidationPrice(isLong, candidate, leverage, p.maintMargin);
        if (isLong ? liq < p.price0 : liq > p.price0) {
          entry = candidate;
          break;
        }
      }
      const qty = notional / entry;
      this.accounts.push({
        index: a,
        isLong,
        qty,
        entry,
        leverage,
        liqPrice: liquidationPrice(isLong, entry, leverage, p.maintMargin),
        remaining: qty,
        triggered: false,
      });
    }
    this.longQueue = [];
    this.shortQueue = [];

    const S = p.price0;
    this.priceOptions(S, 0);
    for (const dealer of this.dealers) dealer.hedge = -this.bookDelta(dealer);
    this.record(0, {
      oracle: S,
      gex: this.gex(S),
      dealerVega: this.dealerVega(),
      dealerFlow: 0,
      shockFlow: 0,
      valueFlow: 0,
      liqLong: 0,
      liqShort: 0,
      liqAccounts: 0,
      liqQueue: 0,
      badDebt: 0,
      liqBonus: 0,
      depth: 1,
    });
  }

  step(n: number): number {
    const end = Math.min(this.ticks, this.tick + Math.max(0, Math.floor(n)));
    while (this.tick < end) this.advance();
    return this.tick;
  }

  column(key: SeriesKey): Float64Array {
    return this.seriesCols.get(key)!;
  }

  gammaProfile(prices: Float64Array): Float64Array {
    const out = new Float64Array(prices.length);
    prices.forEach((P, i) => {
      let g = 0;
      for (const o of this.options) {
        if (o.dealerNet === 0) continue;
        const T = this.timeToExpiry(o);
        g += o.dealerNet * bsm(o.isCall ? 'call' : 'put', P, o.strike, T, this.p.rate, this.p.dividend, this.impliedVol).gamma;
      }
      out[i] = g * P * P * 0.01;
    });
    return out;
  }

  liquidationMap(edges: Float64Array): { long: Float64Array; short: Float64Array } {
    const n = Math.max(0, edges.length - 1);
    const long = new Float64Array(n);
    const short = new Float64Array(n);
    for (const a of this.accounts) {
      if (a.triggered) continue;
      const b = bucketOf(edges, a.liqPrice);
      if (b < 0) continue;
      (a.isLong ? long : short)[b] += a.remaining * a.liqPrice;
    }
    return { long, short };
  }

  // ── one tick ──────────────────────────────────────────────────────────────────────────
  private advance(): void {
    const p = this.p;
    const t = this.tick;
    const run = this.run;
    const S = Math.exp(run.lnPrice);
    const price = this.column('price');

    // 1. exogenous flow
    const noise = p.vol0 * Math.sqrt(MODEL.DT_YEARS) * this.marketRng.normal();
    const shockUsd = t >= p.shockStart && t < p.shockStart + p.shockTicks ? -this.shockUsdPerTick : 0;

    // 2. oracle
    const oracle = price[Math.max(0, t - p.oracleDelay)];

    // 3. dealers re-hedge
    this.priceOptions(S, t);
    let dealerQty = 0;
    for (const dealer of this.dealers) {
      const gap = -this.bookDelta(dealer) - dealer.hedge;
      if (Math.abs(gap) > dealer.band) {
        const trade = dealer.rate * gap;
        dealer.hedge += trade;
        dealerQty += trade;
      }
    }
    const gex = this.gex(S);
    const dealerVega = this.dealerVega();

    // 4. the vega loop: implied vol chases realized vol (takes effect next tick)
    const nextImpliedVol = this.impliedVol + p.ivSpeed * (Math.sqrt(run.variance) - this.impliedVol);

    // 5. liquidations: trigger on the oracle, then work the queue
    for (const a of this.accounts.filter((a) => !a.triggered && (a.isLong ? a.liqPrice >= oracle : a.liqPrice <= oracle))
      .sort((x, y) => (x.isLong ? y.liqPrice - x.liqPrice : x.liqPrice - y.liqPrice) || x.index - y.index)) {
      a.triggered = true;
      (a.isLong ? this.longQueue : this.shortQueue).push(a);
    }
    const fills: { account: Account; qty: number }[] = [];
    let liqAccounts = 0;
    for (const queue of [this.longQueue, this.shortQueue]) {
      let budget = p.liqSpeed * queue.reduce((s, a) => s + a.remaining, 0);
      while (budget > 0 && queue.length > 0) {
        const a = queue[0];
        let take = Math.min(budget, a.remaining);
        if (a.remaining - take <= MODEL.DUST * a.qty) take = a.remaining;
        a.remaining -= take;
        budget -= take;
        fills.push({ account: a, qty: take });
        if (a.remaining === 0) {
          queue.shift();
          liqAccounts++;
        }
      }
    }
    const liqQty = fills.reduce((s, f) => s + (f.account.isLong ? -f.qty : f.qty), 0);

    // 7. value traders
    const valueQty = valueTrade(p, run, this.lnFair);
    const cfValueQty = valueTrade(p, this.cf, this.lnFair);

    // 8. price formation
    const depth = depthFactor(p, run.variance);
    const next = formPrice(p, run, noise, shockUsd + (dealerQty + liqQty + valueQty) * S, depth);
    const cfNext = formPrice(p, this.cf, noise, shockUsd + cfValueQty * Math.exp(this.cf.lnPrice), 1);
    this.lnFair += noise;
    const S1 = Math.exp(next);

    let liqLong = 0;
    let liqShort = 0;
    let badDebt = 0;
    let bonusPaid = 0;
    for (const { account: a, qty } of fills) {
      const notional = qty * S1;
      const margin = (qty * a.entry) / a.leverage;
      const equity = margin + (a.isLong ? qty * (S1 - a.entry) : qty * (a.entry - S1));
      bonusPaid += Math.min(p.liqBonus * notional, Math.max(equity, 0));
      badDebt += Math.max(-equity, 0);
      if (a.isLong) liqLong += notional;
      else liqShort += notional;
    }
    const queued = [...this.longQueue, ...this.shortQueue].reduce((s, a) => s + a.remaining, 0);

    // 9. volatility and the record
    run.variance = updateVariance(p, run.variance, next - run.lnPrice);
    this.cf.variance = updateVariance(p, this.cf.variance, cfNext - this.cf.lnPrice);
    run.lnPrice = next;
    this.cf.lnPrice = cfNext;
    this.impliedVol = nextImpliedVol;
    this.tick = t + 1;
    price[t + 1] = S1;
    this.record(t + 1, {
      oracle: price[Math.max(0, t + 1 - p.oracleDelay)],
      gex,
      dealerVega,
      dealerFlow: dealerQty * S,
      shockFlow: shockUsd,
      valueFlow: valueQty * S,
      liqLong,
      liqShort,
      liqAccounts,
      liqQueue: queued * S1,
      badDebt,
      liqBonus: bonusPaid,
      depth,
    });
  }

  private record(t: number, values: Record<Exclude<SeriesKey, 'price' | 'cfPrice' | 'fairValue' | 'realizedVol' | 'impliedVol' | 'cfRealizedVol'>, number>): void {
    this.column('price')[t] = Math.exp(this.run.lnPrice);
    this.column('cfPrice')[t] = Math.exp(this.cf.lnPrice);
    this.column('fairValue')[t] = Math.exp(this.lnFair);
    this.column('realizedVol')[t] = Math.sqrt(this.run.variance);
    this.column('impliedVol')[t] = this.impliedVol;
    this.column('cfRealizedVol')[t] = Math.sqrt(this.cf.variance);
    for (const [key, value] of Object.entries(values)) this.column(key as SeriesKey)[t] = value;
  }

  private timeToExpiry(o: OptionSeries): number {
    return (o.expiryTick - this.tick) * MODEL.DT_YEARS;
  }

  /** Roll expired series (same tenor, same moneyness on today's spot) and price every series at S. */
  private priceOptions(S: number, t: number): void {
    for (const o of this.options) {
      if (o.expiryTick <= t) {
        o.expiryTick += o.tenorTicks;
        o.strike = S * o.moneyness;
      }
      const g = bsm(o.isCall ? 'call' : 'put', S, o.strike, (o.expiryTick - t) * MODEL.DT_YEARS, this.p.rate, this.p.dividend, this.impliedVol);
      o.delta = g.delta;
      o.gamma = g.gamma;
      o.vega = g.vega;
    }
  }

  private bookDelta(dealer: Dealer): number {
    let delta = 0;
    dealer.series.forEach((s, j) => (delta += dealer.positions[j] * this.options[s].delta));
    return delta;
  }

  private gex(S: number): number {
    return this.options.reduce((g, o) => g + o.dealerNet * o.gamma, 0) * S * S * 0.01;
  }

  private dealerVega(): number {
    return this.options.reduce((v, o) => v + o.dealerNet * o.vega, 0) * 0.01;
  }
}

// ── the model's formulas, shared by both markets ───────────────────────────────────────────

/** Price at which maintenance margin is breached: long (1 − 1/L)/(1 − m)·entry, short (1 + 1/L)/(1 + m)·entry. */
export function liquidationPrice(isLong: boolean, entry: number, leverage: number, maintMargin: number): number {
  return isLong ? (entry * (1 - 1 / leverage)) / (1 - maintMargin) : (entry * (1 + 1 / leverage)) / (1 + maintMargin);
}

function dailyVol(p: EngineParams): number {
  return p.vol0 / Math.sqrt(365);
}

/**
 * Log-price impact of the flow pressing on the price (`usd`, in normal-depth dollars; + buys),
 * with V the daily volume in USD. Square-root law: sign(Q)·Y·σ_daily·√(|Q|/V). Linear (Kyle)
 * law: λ·Q with λ = LINEAR_MATCH·Y·σ_daily/V, equal to the square-root law at Q = V/LINEAR_MATCH².
 */
export function impact(p: EngineParams, usd: number): number {
  const V = p.dailyVolume;
  if (p.impactLaw === MODEL.IMPACT_LINEAR) return (MODEL.LINEAR_MATCH * p.impactY * dailyVol(p) * usd) / V;
  return Math.sign(usd) * p.impactY * dailyVol(p) * Math.sqrt(Math.abs(usd) / V);
}

/** Per-tick share of the transient flow that remains: the book refills with half-life `impactHalfLife`. */
function transientKeep(p: EngineParams): number {
  return Math.pow(0.5, 1 / p.impactHalfLife);
}

/**
 * The sell program per tick (USD) that, alone and at normal depth, leaves the price
 * down by exactly `shock` when the program ends: the flow still pressing then is
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

/**
 * Price formation. The tick's net flow, scaled up by how thin the book is now (flow ÷ depth),
 * joins the flow pressing on the price — a share φ for good, the rest decaying as the book
 * refills — and the log price is the noise path plus the impact of all that pressing flow.
 * Thinning thus makes new flow hit harder without re-pricing the old. Noise is scaled by
 * 1/√depth, as the square-root law scales flow. Bounded so the price stays finite and positive.
 */
function formPrice(p: EngineParams, m: MarketState, noise: number, flowUsd: number, depth: number): number {
  const effective = flowUsd / depth;
  m.permanentFlow += p.permanentImpact * effective;
  m.transientFlow = transientKeep(p) * m.transientFlow + (1 - p.permanentImpact) * effective;
  m.lnNoise += noise / Math.sqrt(depth);
  const move = m.lnNoise + impact(p, m.permanentFlow + m.transientFlow) - Math.log(p.price0);
  return Math.log(p.price0) + Math.min(MODEL.LOG_PRICE_BOUND, Math.max(-MODEL.LOG_PRICE_BOUND, move));
}

/** EWMA of squared log returns, annualized. */
function updateVariance(p: EngineParams, variance: number, logReturn: number): number {
  const keep = Math.pow(0.5, 1 / p.volHalfLife);
  return keep * variance + ((1 - keep) * logReturn * logReturn) / MODEL.DT_YEARS;
}

/**
 * Value traders hold a position that grows from 0 at a discount of `valueBand` below fair value
 * to all their capital at twice that discount; they close the gap a share VALUE_SPEED a tick.
 */
function valueTrade(p: EngineParams, market: MarketState, lnFair: number): number {
  const discount = lnFair - market.lnPrice;
  const invested = Math.min(1, Math.max(0, (discount - p.valueBand) / p.valueBand));
  const target = (p.valueCapital / Math.exp(market.lnPrice)) * invested;
  const trade = MODEL.VALUE_SPEED * (target - market.valuePosition);
  market.valuePosition += trade;
  return trade;
}

function bucketOf(edges: Float64Array, x: number): number {
  const n = edges.length - 1;
  if (n <= 0 || x < edges[0] || x >= edges[n]) return -1;
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}
