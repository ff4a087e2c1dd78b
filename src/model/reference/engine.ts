/**
 * The reference engine: the market model of MODEL.md written plainly, for reading and for
 * checking. It is the oracle of the differential tests (the WASM engine must match it tick for
 * tick) and the baseline of the benchmark. It favours the obvious over the fast: it scans every
 * account every tick, prices every option series with the full Black–Scholes formula and keeps
 * agents as arrays of objects.
 *
 * One tick, in this fixed order (MODEL.md §1):
 *   1. exogenous flow: a noise return (seeded Gaussian) and the scripted sell program;
 *   2. oracle: the one price every protocol marks positions with, published at the end of the
 *      previous tick from the venue (with a delay), its TWAP, or the DEX pool;
 *   3. dealers mark their books, those short vega and past their loss limit buy options back,
 *      then every dealer re-hedges toward delta-neutral when outside its band (the gamma loop);
 *      an options AMM, when it holds part of the book, hedges slowly;
 *   4. implied vol moves toward realized vol, plus option demand and the AMM's quote (vega loop);
 *   5. liquidations: dynamic margin; perp accounts whose liquidation price the oracle crossed
 *      join a FIFO queue worked at `liqSpeed` (and the throttle); loans are liquidated by keepers
 *      who sell the seized collateral into the DEX pool;
 *   6. threshold sellers: CPPI portfolio insurers rebalance; stablecoin redemptions mint and sell
 *      the governance token;
 *   7. value traders buy below fair value; arbitrageurs pull the pool toward the venue;
 *   8. price formation: net flow moves the log price through the impact law at the current
 *      depth; perp liquidations settle at the new price (bonus, fund, bad debt);
 *   9. realized vol, the circuit breaker, the record and the next oracle.
 * While a circuit breaker halts the venue nothing trades on it (lending and the pool, on chain,
 * go on); the scripted flow waits and executes on reopen.
 * The counterfactual runs in lockstep on the same noise and shock with every reflexive agent
 * (dealers, the AMM, liquidations, insurers, the stablecoin) and depth thinning (the
 * liquidity-withdrawal loop) switched off, and no policies; value traders and pool
 * arbitrageurs stay.
 */
import type { Engine } from '../engine.ts';
import { bsm } from '../greeks.ts';
import { Rng } from '../rng.ts';
import { SERIES_KEYS, type SeriesKey } from '../series.ts';
import { MODEL, optionIndex, readBlock, type EngineParams } from '../constants.ts';
import { GRID_STRIDE, defaultOptionGrid, tenorTicks, toGridBlock } from '../option-grid.ts';

interface OptionSeries {
  isCall: boolean;
  moneyness: number;
  tenorTicks: number;
  /** Running sum of the grid's weights up to and including this series. */
  cumulativeWeight: number;
  strike: number;
  expiryTick: number;
  /** Sum of every dealer's position in the series (contracts of one unit of the asset). */
  dealerNet: number;
  /** The options AMM's position in the series. */
  ammNet: number;
  price: number;
  /** Change of the series' value over the last tick (an expiring series settles at intrinsic value). */
  priceChange: number;
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
  capital: number;
  pnl: number;
}

interface Account {
  index: number;
  isLong: boolean;
  qty: number;
  entry: number;
  leverage: number;
  /** Liquidation price at the base maintenance margin. */
  liqPrice: number;
  bankruptcy: number;
  remaining: number;
  state: 'open' | 'margin-called' | 'queued' | 'closed';
}

interface Loan {
  index: number;
  debt: number;
  collateral: number;
  liqPrice: number;
  state: 'open' | 'queued' | 'rearmed' | 'closed';
}

interface Insurer {
  floor: number;
  units: number;
  cash: number;
}

/** State of one market: the run, or its counterfactual. */
interface MarketState {
  lnPrice: number;
  /** Log price that noise alone (scaled by depth) has produced. */
  lnNoise: number;
  /** Signed order flow still pressing on the price (normal-depth USD): the part that never decays … */
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

interface Fill {
  account: Account;
  qty: number;
  adl: boolean;
}

type Recorded = Exclude<SeriesKey, 'price' | 'cfPrice' | 'fairValue' | 'realizedVol' | 'impliedVol' | 'cfRealizedVol' | 'oracle' | 'poolPrice' | 'insuranceFund' | 'pegPrice' | 'stableSupply' | 'tokenSupply'>;

export class ReferenceEngine implements Engine {
  readonly kind = 'reference' as const;
  tick = 0;
  ticks = 0;

  private p!: EngineParams;
  private marketRng!: Rng;
  private eventRng!: Rng;
  private seriesCols = new Map<SeriesKey, Float64Array>();
  private options: OptionSeries[] = [];
  private dealers: Dealer[] = [];
  private ammHedge = 0;
  /** Total vega (per vol point) of the customer book at the start, and GEX at the start: the scales of demand and stress. */
  private bookVega0 = 1;
  private gex0 = 1;
  private accounts: Account[] = [];
  private longQueue: Account[] = [];
  private shortQueue: Account[] = [];
  private loans: Loan[] = [];
  private loanQueue: Loan[] = [];
  private rearmed: Loan[] = [];
  private insurers: Insurer[] = [];
  private run!: MarketState;
  private cf!: MarketState;
  private lnFair = 0;
  private impliedVol = 0;
  private shockUsdPerTick = 0;
  private shockBacklog = 0;
  private haltUntil = 0;
  private fund = 0;
  /** The constant-product DEX pool (asset and USD reserves), and the counterfactual's own. */
  private pool = { asset: 0, usd: 0 };
  private cfPool = { asset: 0, usd: 0 };
  private stable = { supply: 0, imbalance: 0, confidence: 1, peg: 1, tokens: 0 };
  private prevPrice = 0;

  init(block: Float64Array, grid: Float64Array = toGridBlock(defaultOptionGrid())): void {
    const p = readBlock(block);
    this.p = p;
    this.tick = 0;
    this.ticks = p.ticks;
    this.seriesCols = new Map(SERIES_KEYS.map((k) => [k, new Float64Array(p.ticks + 1)]));
    this.marketRng = new Rng(p.seed, MODEL.MARKET_STREAM);
    this.eventRng = new Rng(p.seed, MODEL.EVENT_STREAM);
    const agentRng = new Rng(p.seed, MODEL.AGENT_STREAM);

    this.run = newMarket(p);
    this.cf = newMarket(p);
    this.lnFair = Math.log(p.price0);
    this.impliedVol = p.vol0;
    this.shockUsdPerTick = shockUsdPerTick(p);
    this.shockBacklog = 0;
    this.haltUntil = 0;
    this.fund = p.insuranceFund;
    this.pool = { asset: p.poolLiquidity / p.price0, usd: p.poolLiquidity };
    this.cfPool = { ...this.pool };
    this.stable = { supply: p.stableSupply, imbalance: 0, confidence: 1, peg: 1, tokens: MODEL.TOKEN_SUPPLY0 };
    this.prevPrice = p.price0;

    this.options = [];
    let cumulative = 0;
    for (let i = 0; i < grid.length / GRID_STRIDE; i++) {
      const [isCall, moneyness, tenorDays, weight] = grid.subarray(i * GRID_STRIDE, (i + 1) * GRID_STRIDE);
      cumulative += weight;
      const ticksToExpiry = tenorTicks(tenorDays);
      this.options.push({
        isCall: isCall === 1, moneyness, tenorTicks: ticksToExpiry, cumulativeWeight: cumulative,
        strike: p.price0 * moneyness, expiryTick: ticksToExpiry,
        dealerNet: 0, ammNet: 0, price: 0, priceChange: 0, delta: 0, gamma: 0, vega: 0,
      });
    }
    this.drawDealers(p, agentRng, cumulative);
    this.drawAccounts(p, agentRng);
    this.drawLoans(p, agentRng);
    this.drawInsurers(p, agentRng);

    // Tick 0 prices at exp(ln price0), which may differ from price0 in the last bit: start the
    // books neutral at exactly that price, or a zero hedge band trades a rounding-sized gap.
    const S = Math.exp(this.run.lnPrice);
    this.priceOptions(S, 0);
    for (const dealer of this.dealers) dealer.hedge = -this.bookDelta(dealer);
    this.ammHedge = -this.ammDelta();
    this.bookVega0 = Math.max(1e-9, this.options.reduce((v, o) => v + Math.abs(o.dealerNet + o.ammNet) * o.vega, 0) * 0.01);
    this.gex0 = Math.max(1e-9, Math.abs(this.gex(S)));

    const col = (k: SeriesKey) => this.column(k);
    col('oracle')[0] = p.price0;
    col('poolPrice')[0] = p.price0;
    col('gex')[0] = this.gex(S);
    col('dealerVega')[0] = this.dealerVega();
    col('insuranceFund')[0] = this.fund;
    col('maintMargin')[0] = p.maintMargin;
    col('pegPrice')[0] = 1;
    col('stableSupply')[0] = this.stable.supply;
    col('tokenSupply')[0] = this.stable.tokens;
    col('depth')[0] = 1;
    this.recordMarkets(0);
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
        const net = o.dealerNet + o.ammNet;
        if (net === 0) continue;
        const T = (o.expiryTick - this.tick) * MODEL.DT_YEARS;
        g += net * bsm(o.isCall ? 'call' : 'put', P, o.strike, T, this.p.rate, this.p.dividend, this.impliedVol).gamma;
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
      if (a.state === 'queued' || a.state === 'closed') continue;
      const b = bucketOf(edges, a.liqPrice);
      if (b < 0) continue;
      (a.isLong ? long : short)[b] += a.remaining * a.liqPrice;
    }
    return { long, short };
  }

  // ── agents at the start ───────────────────────────────────────────────────────────────────
  private drawDealers(p: EngineParams, rng: Rng, totalWeight: number): void {
    this.dealers = [];
    const contractsPerPosition = p.dealers > 0 ? p.optionOI / (MODEL.POSITIONS_PER_DEALER * p.dealers * p.price0) : 0;
    const dealerShare = 1 - p.ammShare;
    for (let d = 0; d < p.dealers; d++) {
      const dealer: Dealer = { series: [], positions: [], hedge: 0, band: 0, rate: 0, capital: 0, pnl: 0 };
      let book = 0;
      for (let j = 0; j < MODEL.POSITIONS_PER_DEALER; j++) {
        // A position lands in a series with probability proportional to its open interest.
        const target = rng.uniform() * totalWeight;
        let s = this.options.findIndex((o) => o.cumulativeWeight > target);
        if (s < 0) s = this.options.length - 1;
        const size = contractsPerPosition * lognormal(rng, MODEL.SIZE_SIGMA);
        // The customer book is the same whoever holds it; an options AMM takes its share.
        const position = dealerShare * p.gex * size;
        dealer.series.push(s);
        dealer.positions.push(position);
        this.options[s].dealerNet += position;
        this.options[s].ammNet += p.ammShare * p.gex * size;
        book += Math.abs(position);
      }
      dealer.band = p.hedgeBand * book * (0.5 + rng.uniform());
      dealer.rate = Math.min(1, p.hedgeRate * (0.5 + rng.uniform()));
      dealer.capital = (p.dealerCapital / p.dealers) * (0.5 + rng.uniform());
      this.dealers.push(dealer);
    }
  }

  private drawAccounts(p: EngineParams, rng: Rng): void {
    this.accounts = [];
    const notionalPerAccount = p.accounts > 0 ? p.perpOI / p.accounts : 0;
    for (let a = 0; a < p.accounts; a++) {
      const isLong = rng.uniform() < p.longShare;
      const notional = notionalPerAccount * lognormal(rng, MODEL.NOTIONAL_SIGMA);
      const leverage = Math.min(MODEL.MAX_LEVERAGE, Math.max(1, p.leverage * lognormal(rng, MODEL.LEVERAGE_SIGMA)));
      // An account whose liquidation price the start price has already crossed would have been
      // liquidated before the run: redraw its entry (a bounded number of times, then enter at spot).
      let entry = p.price0;
      for (let attempt = 0; attempt < MODEL.ENTRY_ATTEMPTS; attempt++) {
        const candidate = p.price0 * Math.exp(p.entrySpread * rng.normal());
        const liq = liquidationPrice(isLong, candidate, leverage, p.maintMargin);
        if (isLong ? liq < p.price0 : liq > p.price0) {
          entry = candidate;
          break;
        }
      }
      const qty = notional / entry;
      this.accounts.push({
        index: a, isLong, qty, entry, leverage,
        liqPrice: liquidationPrice(isLong, entry, leverage, p.maintMargin),
        bankruptcy: isLong ? entry * (1 - 1 / leverage) : entry * (1 + 1 / leverage),
        remaining: qty, state: 'open',
      });
    }
    this.longQueue = [];
    this.shortQueue = [];
  }

  private drawLoans(p: EngineParams, rng: Rng): void {
    this.loans = [];
    const debtPerLoan = p.borrowers > 0 ? p.lendingDebt / p.borrowers : 0;
    for (let i = 0; i < p.borrowers; i++) {
      const debt = debtPerLoan * lognormal(rng, MODEL.NOTIONAL_SIGMA);
      const health = 1 + MODEL.LOAN_HEALTH_EXCESS * Math.exp(MODEL.LOAN_HEALTH_SIGMA * rng.normal());
      const collateral = (health * debt) / (p.liqThreshold * p.price0);
      this.loans.push({ index: i, debt, collateral, liqPrice: debt / (collateral * p.liqThreshold), state: 'open' });
    }
    this.loanQueue = [];
    this.rearmed = [];
  }

  private drawInsurers(p: EngineParams, rng: Rng): void {
    this.insurers = [];
    const valuePerInsurer = p.insurers > 0 ? p.insuredCapital / p.insurers : 0;
    for (let i = 0; i < p.insurers; i++) {
      const value = valuePerInsurer * lognormal(rng, MODEL.SIZE_SIGMA);
      const floor = p.cppiFloor * value;
      const exposure = Math.min(value, p.cppiMultiplier * (value - floor));
      this.insurers.push({ floor, units: exposure / p.price0, cash: value - exposure });
    }
  }

  // ── one tick ──────────────────────────────────────────────────────────────────────────
  private advance(): void {
    const p = this.p;
    const t = this.tick;
    const run = this.run;
    const S = Math.exp(run.lnPrice);
    const halted = t < this.haltUntil;

    // 1. exogenous flow (the scripted program waits while the venue is halted)
    const noise = p.vol0 * Math.sqrt(MODEL.DT_YEARS) * this.marketRng.normal();
    const scripted = t >= p.shockStart && t < p.shockStart + p.shockTicks ? -this.shockUsdPerTick : 0;
    let shockUsd = 0;
    if (halted) this.shockBacklog += scripted;
    else {
      shockUsd = scripted + this.shockBacklog;
      this.shockBacklog = 0;
    }

    // 2. oracle
    const oracle = this.column('oracle')[t];

    // 3. dealers: mark, buy back past the loss limit, re-hedge; the AMM hedges slowly
    this.priceOptions(S, t);
    let demandVega = 0;
    for (const dealer of this.dealers) {
      dealer.pnl += dealer.series.reduce((sum, s, j) => sum + dealer.positions[j] * this.options[s].priceChange, 0) + dealer.hedge * (S - this.prevPrice);
      const bookVega = dealer.series.reduce((sum, s, j) => sum + dealer.positions[j] * this.options[s].vega, 0);
      if (dealer.pnl < -p.lossLimit * dealer.capital && bookVega < 0) {
        dealer.positions.forEach((pos, j) => {
          if (pos >= 0) return;
          const bought = -pos * MODEL.BUYBACK_RATE;
          const o = this.options[dealer.series[j]];
          dealer.positions[j] = pos + bought;
          o.dealerNet += bought;
          demandVega += bought * o.vega * 0.01;
        });
      }
    }
    let dealerQty = 0;
    let ammQty = 0;
    let ammGap = 0;
    if (!halted) {
      for (const dealer of this.dealers) {
        const gap = -this.bookDelta(dealer) - dealer.hedge;
        if (Math.abs(gap) > dealer.band) {
          const trade = dealer.rate * gap;
          dealer.hedge += trade;
          dealerQty += trade;
        }
      }
      ammGap = -this.ammDelta() - this.ammHedge;
      ammQty = MODEL.AMM_HEDGE_RATE * ammGap;
      this.ammHedge += ammQty;
    }
    const gex = this.gex(S);
    const dealerVega = this.dealerVega();
    const stress = Math.max(0, -gex) / this.gex0;

    // 4. the vega loop (takes effect next tick)
    const ammQuote = p.ammShare * MODEL.AMM_IV_SLOPE * (stress + Math.abs(ammGap) / Math.max(1e-9, this.ammDeltaScale()));
    const nextImpliedVol = clampIv(this.impliedVol + p.ivSpeed * (Math.sqrt(run.variance) - this.impliedVol) + (p.ivDemand * demandVega) / this.bookVega0 + ammQuote);

    // 5. liquidations
    const maintMargin = Math.min(MODEL.MAX_MAINT_MARGIN, p.maintMargin * (1 + p.dynamicMargin * (Math.max(0, Math.sqrt(run.variance) / p.vol0 - 1) + stress)));
    const { fills, deleverageQty, closedAccounts } = this.liquidatePerps(oracle, maintMargin, halted, S);
    const liqQty = fills.reduce((s, f) => s + (f.adl ? 0 : f.account.isLong ? -f.qty : f.qty), 0);
    const lending = this.liquidateLoans(oracle);

    // 6. threshold sellers and the stablecoin
    const cppiQty = halted ? 0 : this.rebalanceInsurers(S);
    const redeemedUsd = this.redeemStablecoin(S, oracle, halted);
    const redemptionQty = -redeemedUsd / oracle;

    // 7. value traders and pool arbitrage
    const valueQty = halted ? 0 : valueTrade(p, run, this.lnFair);
    const cfValueQty = valueTrade(p, this.cf, this.lnFair);
    const poolActive = p.borrowers > 0 || p.oracleMode === optionIndex('oracleMode', 'pool');
    const arbQty = halted || !poolActive ? 0 : arbitragePool(p, this.pool, S);
    const cfArbQty = poolActive ? arbitragePool(p, this.cfPool, Math.exp(this.cf.lnPrice)) : 0;

    // 8. price formation, then settlement at the new price
    const depth = depthFactor(p, run.variance);
    const flowQty = dealerQty + ammQty + liqQty + deleverageQty + cppiQty + redemptionQty + valueQty + arbQty;
    const next = halted ? holdPrice(p, run, noise, depth) : formPrice(p, run, noise, shockUsd + flowQty * S, depth);
    const cfNext = formPrice(p, this.cf, noise, scripted + (cfValueQty + cfArbQty) * Math.exp(this.cf.lnPrice), 1);
    this.lnFair += noise;
    const S1 = Math.exp(next);
    const settled = this.settle(fills, S1);

    // 9. volatility, breaker, record, next oracle
    run.variance = updateVariance(p, run.variance, next - run.lnPrice);
    this.cf.variance = updateVariance(p, this.cf.variance, cfNext - this.cf.lnPrice);
    run.lnPrice = next;
    this.cf.lnPrice = cfNext;
    this.impliedVol = nextImpliedVol;
    this.prevPrice = S;
    this.tick = t + 1;
    const price = this.column('price');
    this.recordMarkets(t + 1);
    if (p.breakerThreshold > 0 && t + 1 >= this.haltUntil) {
      const move = Math.abs(Math.log(price[t + 1] / price[Math.max(0, t + 1 - p.breakerWindow)]));
      if (move > p.breakerThreshold) this.haltUntil = t + 1 + p.breakerHalt;
    }
    const queuedQty = [...this.longQueue, ...this.shortQueue].reduce((s, a) => s + a.remaining, 0);
    this.record(t + 1, {
      gex,
      dealerVega,
      optionDemand: demandVega,
      dealerFlow: dealerQty * S,
      ammFlow: ammQty * S,
      shockFlow: shockUsd,
      valueFlow: valueQty * S,
      arbFlow: arbQty * S,
      cppiFlow: cppiQty * S,
      redemptionFlow: redemptionQty * S,
      liqLending: lending.soldUsd,
      lendingBadDebt: lending.badDebt,
      liqAccounts: closedAccounts,
      liqQueue: queuedQty * S1,
      deleverage: -deleverageQty * S,
      maintMargin,
      halted: halted ? 1 : 0,
      depth,
      ...settled,
    });
    this.column('poolPrice')[t + 1] = this.pool.usd / this.pool.asset;
    this.column('insuranceFund')[t + 1] = this.fund;
    this.column('pegPrice')[t + 1] = this.stable.peg;
    this.column('stableSupply')[t + 1] = this.stable.supply;
    this.column('tokenSupply')[t + 1] = this.stable.tokens;
    this.column('oracle')[t + 1] = this.publishOracle(t + 1, oracle);
  }

  /** Step 5 for perps: margin calls, triggers on the oracle, and the queue worked at liqSpeed. */
  private liquidatePerps(oracle: number, maintMargin: number, halted: boolean, S: number) {
    const p = this.p;
    // Dynamic margin scales every liquidation price by the same factor, so the order is kept.
    const callLevel = (a: Account) => (a.isLong ? (a.liqPrice * (1 - p.maintMargin)) / (1 - maintMargin) : (a.liqPrice * (1 + p.maintMargin)) / (1 + maintMargin));
    const crossed = (a: Account, level: number) => (a.isLong ? level >= oracle : level <= oracle);
    // Each side in its own order (longs: highest liquidation price first; shorts: lowest first).
    const order = (x: Account, y: Account) =>
      x.isLong !== y.isLong ? (x.isLong ? -1 : 1) : (x.isLong ? y.liqPrice - x.liqPrice : x.liqPrice - y.liqPrice) || x.index - y.index;
    for (const a of this.accounts.filter((a) => (a.state === 'open' || a.state === 'margin-called') && crossed(a, a.liqPrice)).sort(order)) {
      a.state = 'queued';
      (a.isLong ? this.longQueue : this.shortQueue).push(a);
    }
    if (maintMargin > p.maintMargin) {
      for (const a of this.accounts) if (a.state === 'open' && crossed(a, callLevel(a))) a.state = 'margin-called';
    }

    const fills: Fill[] = [];
    let deleverageQty = 0;
    let closedAccounts = 0;
    if (halted) return { fills, deleverageQty, closedAccounts };
    const adl = p.venue === optionIndex('venue', 'cex') && this.fund <= 0;
    let throttle = p.liqThrottle > 0 ? p.liqThrottle / S : Infinity;
    for (const queue of [this.longQueue, this.shortQueue]) {
      const wanted = p.liqSpeed * queue.reduce((s, a) => s + a.remaining, 0);
      let budget = Math.min(wanted, throttle);
      throttle -= budget;
      while (budget > 0 && queue.length > 0) {
        const a = queue[0];
        let take = Math.min(budget, a.remaining);
        if (a.remaining - take <= MODEL.DUST * a.qty) take = a.remaining;
        a.remaining -= take;
        budget -= take;
        fills.push({ account: a, qty: take, adl });
        if (a.remaining === 0) {
          queue.shift();
          a.state = 'closed';
          closedAccounts++;
        }
      }
    }
    // Margin-called accounts reduce, position and margin together, nearest to liquidation first,
    // within what the throttle leaves: the risk engine caps all forced selling.
    for (const side of [true, false]) {
      const called = this.accounts.filter((a) => a.state === 'margin-called' && a.isLong === side).sort(order);
      let budget = Math.min(MODEL.DELEVERAGE_SPEED * called.reduce((s, a) => s + a.remaining, 0), throttle);
      throttle -= budget;
      for (const a of called) {
        if (budget <= 0) break;
        const take = Math.min(budget, a.remaining);
        a.remaining -= take;
        budget -= take;
        deleverageQty += side ? -take : take;
      }
    }
    return { fills, deleverageQty, closedAccounts };
  }

  /**
   * Settle the tick's perp fills at the new price. Every dollar of a liquidated position's
   * margin goes somewhere: margin = counterparties + bonus + returned + fund in − fund paid −
   * bad debt (test/property/accounting.property.test.ts).
   */
  private settle(fills: Fill[], S1: number) {
    const p = this.p;
    const cex = p.venue === optionIndex('venue', 'cex');
    const out = { liqLong: 0, liqShort: 0, adlVolume: 0, liqMargin: 0, liqCounterparty: 0, liqBonus: 0, liqReturned: 0, fundIn: 0, fundPaid: 0, badDebt: 0 };
    for (const { account: a, qty, adl } of fills) {
      const margin = (qty * a.entry) / a.leverage;
      // Auto-deleveraging closes the position against profitable traders at its bankruptcy price, off the book.
      const P = adl ? a.bankruptcy : S1;
      const counterparty = a.isLong ? qty * (a.entry - P) : qty * (P - a.entry);
      const equity = margin - counterparty;
      out.liqMargin += margin;
      out.liqCounterparty += counterparty;
      if (adl) out.adlVolume += qty * P;
      else if (a.isLong) out.liqLong += qty * P;
      else out.liqShort += qty * P;
      if (adl) continue;
      const surplus = Math.max(equity, 0);
      const shortfall = Math.max(-equity, 0);
      if (cex) {
        const paid = Math.min(shortfall, this.fund + surplus);
        this.fund += surplus - paid;
        out.fundIn += surplus;
        out.fundPaid += paid;
        out.badDebt += shortfall - paid;
      } else {
        const bonus = Math.min(p.liqBonus * qty * P, surplus);
        out.liqBonus += bonus;
        out.liqReturned += surplus - bonus;
        out.badDebt += shortfall;
      }
    }
    return out;
  }

  /** Step 5 for loans: keepers repay up to the close factor, seize collateral with a bonus, sell it into the pool. */
  private liquidateLoans(oracle: number): { soldUsd: number; badDebt: number } {
    const p = this.p;
    for (const loan of this.loans.filter((l) => l.state === 'open' && l.liqPrice >= oracle).sort((x, y) => y.liqPrice - x.liqPrice || x.index - y.index)) {
      loan.state = 'queued';
      this.loanQueue.push(loan);
    }
    for (const loan of this.rearmed.filter((l) => l.liqPrice >= oracle)) {
      loan.state = 'queued';
      this.loanQueue.push(loan);
    }
    this.rearmed = this.rearmed.filter((l) => l.state === 'rearmed');

    let capacity = p.keeperCapacity;
    let seizedForSale = 0;
    let badDebt = 0;
    for (const loan of [...this.loanQueue]) {
      if (capacity <= 0) break;
      let repay = Math.min(p.closeFactor * loan.debt, capacity);
      if (loan.debt - repay < MODEL.LOAN_DUST_USD) repay = loan.debt;
      let seized = (repay * (1 + p.lendingBonus)) / oracle;
      if (seized >= loan.collateral) {
        // The collateral no longer covers the debt: take it all; what it cannot repay is bad debt.
        seized = loan.collateral;
        const covered = Math.min(repay, (seized * oracle) / (1 + p.lendingBonus));
        badDebt += loan.debt - covered;
        repay = loan.debt;
        capacity -= covered;
        if (this.eventRng.uniform() < p.keeperFailure) badDebt += covered;
        else seizedForSale += seized;
      } else {
        capacity -= repay;
        // A failed auction (a zero bid) takes the collateral for nothing: the debt is written off.
        if (this.eventRng.uniform() < p.keeperFailure) badDebt += repay;
        else seizedForSale += seized;
      }
      loan.debt -= repay;
      loan.collateral -= seized;
      if (loan.debt <= 0 || loan.collateral <= 0) {
        loan.state = 'closed';
      } else if ((loan.collateral * oracle * p.liqThreshold) / loan.debt >= 1) {
        loan.state = 'rearmed';
        loan.liqPrice = loan.debt / (loan.collateral * p.liqThreshold);
        this.rearmed.push(loan);
      }
    }
    this.loanQueue = this.loanQueue.filter((l) => l.state === 'queued');
    // Seized collateral is sold into the constant-product pool.
    const k = this.pool.asset * this.pool.usd;
    const usdBefore = this.pool.usd;
    this.pool.asset += seizedForSale;
    this.pool.usd = k / this.pool.asset;
    return { soldUsd: usdBefore - this.pool.usd, badDebt };
  }

  /** Step 6: CPPI insurers rebalance toward multiplier × cushion; returns their net flow (units). */
  private rebalanceInsurers(S: number): number {
    const p = this.p;
    let flow = 0;
    for (const ins of this.insurers) {
      const value = ins.units * S + ins.cash;
      const target = Math.min(value, Math.max(0, p.cppiMultiplier * (value - ins.floor)));
      const exposure = ins.units * S;
      if (Math.abs(exposure - target) > p.cppiBand * Math.max(target, exposure)) {
        const trade = target / S - ins.units;
        ins.units += trade;
        ins.cash -= trade * S;
        flow += trade;
      }
    }
    return flow;
  }

  /**
   * Step 6b: the reflexive stablecoin. Confidence falls with the peg's discount and the token's
   * fall; holders sell the stablecoin; arbitrageurs redeem the discounted coins for $1 of newly
   * minted token each and sell that token on the venue. Returns USD redeemed this tick.
   */
  private redeemStablecoin(S: number, oracle: number, halted: boolean): number {
    const p = this.p;
    const st = this.stable;
    if (p.stableSupply <= 0) return 0;
    const target = Math.min(1, Math.max(0, 1 - MODEL.CONF_PEG * (1 - st.peg) - MODEL.CONF_PRICE * Math.max(0, 1 - S / p.price0)));
    st.confidence += MODEL.CONF_SPEED * (target - st.confidence);
    st.imbalance = st.imbalance * (1 - MODEL.PEG_REFILL) + p.panicRate * (1 - st.confidence) * st.supply;
    const redeemed = halted ? 0 : Math.min(p.redeemCap, st.imbalance, st.supply);
    st.imbalance -= redeemed;
    st.supply -= redeemed;
    st.tokens += redeemed / oracle;
    st.peg = 1 / (1 + st.imbalance / p.pegDepth);
    return redeemed;
  }

  /** The oracle price published at the end of tick t, from its source, if it moved past the deviation threshold. */
  private publishOracle(t: number, last: number): number {
    const p = this.p;
    const price = this.column('price');
    let source: number;
    if (p.oracleMode === optionIndex('oracleMode', 'pool')) source = this.column('poolPrice')[Math.max(0, t - p.oracleDelay)];
    else if (p.oracleMode === optionIndex('oracleMode', 'twap')) {
      const from = Math.max(0, t - Math.max(1, p.oracleDelay) + 1);
      let sum = 0;
      for (let i = from; i <= t; i++) sum += price[i];
      source = sum / (t - from + 1);
    } else source = price[Math.max(0, t - p.oracleDelay)];
    return Math.abs(source / last - 1) > p.oracleDeviation ? source : last;
  }

  private recordMarkets(t: number): void {
    this.column('price')[t] = Math.exp(this.run.lnPrice);
    this.column('cfPrice')[t] = Math.exp(this.cf.lnPrice);
    this.column('fairValue')[t] = Math.exp(this.lnFair);
    this.column('realizedVol')[t] = Math.sqrt(this.run.variance);
    this.column('impliedVol')[t] = this.impliedVol;
    this.column('cfRealizedVol')[t] = Math.sqrt(this.cf.variance);
  }

  private record(t: number, values: Record<Recorded, number>): void {
    for (const [key, value] of Object.entries(values)) this.column(key as SeriesKey)[t] = value;
  }

  /** Roll expired series (same tenor, same moneyness on today's spot) and mark every series at S. */
  private priceOptions(S: number, t: number): void {
    const p = this.p;
    for (const o of this.options) {
      let settled = -1;
      if (o.expiryTick <= t) {
        settled = Math.max(0, o.isCall ? S - o.strike : o.strike - S);
        o.expiryTick += o.tenorTicks;
        o.strike = S * o.moneyness;
      }
      const g = bsm(o.isCall ? 'call' : 'put', S, o.strike, (o.expiryTick - t) * MODEL.DT_YEARS, p.rate, p.dividend, this.impliedVol);
      // An expiring series settles at intrinsic value; its successor starts at the market price.
      o.priceChange = t === 0 ? 0 : (settled >= 0 ? settled : g.price) - o.price;
      o.price = g.price;
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

  private ammDelta(): number {
    return this.options.reduce((d, o) => d + o.ammNet * o.delta, 0);
  }

  private ammDeltaScale(): number {
    return this.options.reduce((d, o) => d + Math.abs(o.ammNet * o.delta), 0);
  }

  /** GEX of everyone who makes markets in the options: dealers and the AMM. */
  private gex(S: number): number {
    return this.options.reduce((g, o) => g + (o.dealerNet + o.ammNet) * o.gamma, 0) * S * S * 0.01;
  }

  private dealerVega(): number {
    return this.options.reduce((v, o) => v + (o.dealerNet + o.ammNet) * o.vega, 0) * 0.01;
  }
}

// ── the model's formulas, shared by both markets ───────────────────────────────────────────

function lognormal(rng: Rng, sigma: number): number {
  return Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
}

function clampIv(iv: number): number {
  return Math.min(MODEL.MAX_IMPLIED_VOL, Math.max(MODEL.MIN_IMPLIED_VOL, iv));
}

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
  return boundedPrice(p, m);
}

/** A halted tick: nothing trades, the book refills and news accumulates; the price shows it on reopen. */
function holdPrice(p: EngineParams, m: MarketState, noise: number, depth: number): number {
  m.transientFlow = transientKeep(p) * m.transientFlow;
  m.lnNoise += noise / Math.sqrt(depth);
  return m.lnPrice;
}

function boundedPrice(p: EngineParams, m: MarketState): number {
  const move = m.lnNoise + impact(p, m.permanentFlow + m.transientFlow) - Math.log(p.price0);
  return Math.log(p.price0) + Math.min(MODEL.LOG_PRICE_BOUND, Math.max(-MODEL.LOG_PRICE_BOUND, move));
}

/** EWMA of squared log returns, annualized. */
function updateVariance(p: EngineParams, variance: number, logReturn: number): number {
  const keep = Math.pow(0.5, 1 / p.volHalfLife);
  return keep * variance + ((1 - keep) * logReturn * logReturn) / MODEL.DT_YEARS;
}

/**
 * Step 7b: arbitrageurs move a pool's price a share arbSpeed toward the venue's, trading the
 * difference on the venue; returns their venue flow (units). They are not a feedback loop, so the
 * counterfactual has its own pool and arbitrageurs too. The pool is part of the market only when
 * there is a lending market to sell into it or the oracle reads it.
 */
function arbitragePool(p: EngineParams, pool: { asset: number; usd: number }, S: number): number {
  const k = pool.asset * pool.usd;
  const poolPrice = pool.usd / pool.asset;
  const target = Math.exp(Math.log(poolPrice) + p.arbSpeed * (Math.log(S) - Math.log(poolPrice)));
  const asset = Math.sqrt(k / target);
  const bought = pool.asset - asset;
  pool.asset = asset;
  pool.usd = k / asset;
  return -bought;
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
