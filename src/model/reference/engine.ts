/**
 * The reference engine: the market model of MODEL.md written plainly, for reading and for
 * checking. It is the oracle of the differential tests (the WASM engine must match it tick for
 * tick) and the baseline of the benchmark. It favours the obvious over the fast: it scans every
 * account every tick, prices every option series with the full Black–Scholes formula and keeps
 * agents as arrays of objects.
 *
 * It has the files of assembly/, one mechanism a file, with the same function names doing the
 * same steps in the same order (market.ts, options.ts, dealers.ts, perps.ts, lending.ts,
 * insurers.ts, stablecoin.ts, and this file for assembly/engine.ts): diff one against its twin.
 * Where assembly/ keeps a mechanism's state in module globals, here it is one object per
 * mechanism, owned by the engine, so any number of reference engines can run at once.
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
import { Rng } from '../rng.ts';
import { SERIES_KEYS, type SeriesKey } from '../series.ts';
import { MODEL, optionIndex, readBlock, type EngineParams } from '../constants.ts';
import { defaultOptionGrid, toGridBlock } from '../option-grid.ts';
import { Market, shockUsdPerTick, depthFactor, updateVariance } from './market.ts';
import { Options } from './options.ts';
import { Dealers } from './dealers.ts';
import { Perps } from './perps.ts';
import { Lending } from './lending.ts';
import { Insurers } from './insurers.ts';
import { Stablecoin } from './stablecoin.ts';

/** The columns `advance` records through `record` (the markets' own through `recordMarkets`, the oracle last). */
type Recorded = Exclude<SeriesKey, 'price' | 'cfPrice' | 'fairValue' | 'realizedVol' | 'impliedVol' | 'cfRealizedVol' | 'oracle'>;

export class ReferenceEngine implements Engine {
  readonly kind = 'reference' as const;
  tick = 0;
  ticks = 0;

  private p!: EngineParams;
  private marketRng!: Rng;
  private eventRng!: Rng;
  private seriesCols = new Map<SeriesKey, Float64Array>();
  private run!: Market;
  private cf!: Market;
  private options!: Options;
  private dealers!: Dealers;
  private perps!: Perps;
  private lending!: Lending;
  private insurers!: Insurers;
  private stablecoin!: Stablecoin;
  private lnFair = 0;
  private impliedVol = 0;
  private shockUsd = 0;
  private shockBacklog = 0;
  private haltUntil = 0;
  private prevPrice = 0;
  /** Total vega (per vol point) of the customer book at the start, and GEX at the start: the scales of demand and stress. */
  private bookVega0 = 1;
  private gex0 = 1;

  init(block: Float64Array, grid: Float64Array = toGridBlock(defaultOptionGrid())): void {
    const p = readBlock(block);
    this.p = p;
    this.marketRng = new Rng(p.seed, MODEL.MARKET_STREAM);
    const agentRng = new Rng(p.seed, MODEL.AGENT_STREAM);
    this.eventRng = new Rng(p.seed, MODEL.EVENT_STREAM);
    this.tick = 0;
    this.ticks = p.ticks;
    this.seriesCols = new Map(SERIES_KEYS.map((k) => [k, new Float64Array(p.ticks + 1)]));

    this.run = new Market(p);
    this.cf = new Market(p);
    this.run.reset();
    this.cf.reset();
    this.lnFair = this.run.lnPrice;
    this.impliedVol = p.vol0;
    this.shockUsd = shockUsdPerTick(p);
    this.shockBacklog = 0;
    this.haltUntil = 0;
    this.prevPrice = p.price0;

    this.options = new Options(p);
    this.dealers = new Dealers(p, this.options);
    this.perps = new Perps(p);
    this.lending = new Lending(p);
    this.insurers = new Insurers(p);
    this.stablecoin = new Stablecoin(p);
    this.options.initOptions(grid);
    this.dealers.initDealers(agentRng);
    this.perps.initPerps(agentRng);
    this.lending.initLending(agentRng);
    this.insurers.initInsurers(agentRng);
    this.stablecoin.initStablecoin();
    // Tick 0 prices at exp(ln price0), which may differ from price0 in the last bit: start the
    // books neutral at exactly that price, or a zero hedge band trades a rounding-sized gap.
    const start = Math.exp(this.run.lnPrice);
    this.options.priceOptions(start, 0, this.impliedVol);
    this.dealers.neutralizeDealers();
    this.bookVega0 = Math.max(1e-9, this.options.bookVega());
    const g = this.options.gexAt(start);
    this.gex0 = Math.max(1e-9, Math.abs(g));

    const col = (k: SeriesKey) => this.column(k);
    col('oracle')[0] = p.price0;
    col('poolPrice')[0] = p.price0;
    col('gex')[0] = g;
    col('dealerVega')[0] = this.options.dealerVega();
    col('insuranceFund')[0] = this.perps.fund;
    col('maintMargin')[0] = p.maintMargin;
    col('pegPrice')[0] = 1;
    col('stableSupply')[0] = this.stablecoin.supply;
    col('tokenSupply')[0] = this.stablecoin.tokens;
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
    return prices.map((P) => this.options.gexIfSpot(P, this.tick, this.impliedVol));
  }

  liquidationMap(edges: Float64Array): { long: Float64Array; short: Float64Array } {
    return this.perps.liquidationMap(edges);
  }

  private recordMarkets(t: number): void {
    this.column('price')[t] = Math.exp(this.run.lnPrice);
    this.column('cfPrice')[t] = Math.exp(this.cf.lnPrice);
    this.column('fairValue')[t] = Math.exp(this.lnFair);
    this.column('realizedVol')[t] = Math.sqrt(this.run.variance);
    this.column('impliedVol')[t] = this.impliedVol;
    this.column('cfRealizedVol')[t] = Math.sqrt(this.cf.variance);
  }

  /** Advance the market one tick. */
  private advance(): void {
    const p = this.p;
    const t = this.tick;
    const run = this.run;
    const cf = this.cf;
    const S = Math.exp(run.lnPrice);
    const halted = t < this.haltUntil;

    // 1. exogenous flow (the scripted program waits while the venue is halted)
    const noise = p.vol0 * Math.sqrt(MODEL.DT_YEARS) * this.marketRng.normal();
    const scripted = t >= p.shockStart && t < p.shockStart + p.shockTicks ? -this.shockUsd : 0;
    let shockNow = 0;
    if (halted) this.shockBacklog += scripted;
    else {
      shockNow = scripted + this.shockBacklog;
      this.shockBacklog = 0;
    }

    // 2. oracle
    const oracle = this.column('oracle')[t];

    // 3. dealers: mark, buy back past the loss limit, re-hedge; the AMM hedges slowly
    this.options.priceOptions(S, t, this.impliedVol);
    this.dealers.markAndBuyBack(S - this.prevPrice);
    let dealerQty = 0;
    let ammQty = 0;
    let ammGap = 0;
    if (!halted) {
      dealerQty = this.dealers.rehedge();
      ammQty = this.dealers.ammRehedge();
      ammGap = this.dealers.ammGap;
    }
    const gex = this.options.gexAt(S);
    const vega = this.options.dealerVega();
    const stress = Math.max(0, -gex) / this.gex0;

    // 4. the vega loop (takes effect next tick)
    const ammQuote = p.ammShare * MODEL.AMM_IV_SLOPE * (stress + Math.abs(ammGap) / Math.max(1e-9, this.options.ammDeltaScale()));
    const drifted = this.impliedVol + p.ivSpeed * (Math.sqrt(run.variance) - this.impliedVol) + (p.ivDemand * this.dealers.demandVega) / this.bookVega0 + ammQuote;
    const nextImpliedVol = Math.min(MODEL.MAX_IMPLIED_VOL, Math.max(MODEL.MIN_IMPLIED_VOL, drifted));

    // 5. liquidations
    const maintMargin = Math.min(MODEL.MAX_MAINT_MARGIN, p.maintMargin * (1 + p.dynamicMargin * (Math.max(0, Math.sqrt(run.variance) / p.vol0 - 1) + stress)));
    this.perps.trigger(oracle, maintMargin);
    let deleverageQty = 0;
    let liqQty = 0;
    if (halted) this.perps.skipExecution();
    else {
      liqQty = this.perps.execute(S);
      deleverageQty = this.perps.deleverage();
    }
    this.lending.liquidateLoans(oracle, this.eventRng);

    // 6. threshold sellers and the stablecoin
    const cppiQty = halted ? 0 : this.insurers.rebalanceInsurers(S);
    const redemptionQty = -this.stablecoin.redeemStablecoin(S, oracle, halted) / oracle;

    // 7. value traders and pool arbitrage
    const valueQty = halted ? 0 : run.valueTrade(this.lnFair);
    const cfValueQty = cf.valueTrade(this.lnFair);
    // The pool is part of the market only when loans are sold into it or the oracle reads it.
    const poolActive = p.borrowers > 0 || p.oracleMode === optionIndex('oracleMode', 'pool');
    const arbQty = halted || !poolActive ? 0 : this.lending.pool.arbitrage(S);
    const cfArbQty = poolActive ? this.lending.cfPool.arbitrage(Math.exp(cf.lnPrice)) : 0;

    // 8. price formation, then settlement at the new price
    const depth = depthFactor(p, run.variance);
    const flowQty = dealerQty + ammQty + liqQty + deleverageQty + cppiQty + redemptionQty + valueQty + arbQty;
    const next = halted ? run.holdPrice(noise, depth) : run.formPrice(noise, shockNow + flowQty * S, depth);
    const cfNext = cf.formPrice(noise, scripted + (cfValueQty + cfArbQty) * Math.exp(cf.lnPrice), 1);
    this.lnFair += noise;
    const S1 = Math.exp(next);
    this.perps.settle(S1);

    // 9. volatility, breaker, record, next oracle
    run.variance = updateVariance(p, run.variance, next - run.lnPrice);
    cf.variance = updateVariance(p, cf.variance, cfNext - cf.lnPrice);
    run.lnPrice = next;
    cf.lnPrice = cfNext;
    this.impliedVol = nextImpliedVol;
    this.prevPrice = S;
    this.tick = t + 1;
    this.recordMarkets(t + 1);
    const price = this.column('price');
    if (p.breakerThreshold > 0 && t + 1 >= this.haltUntil) {
      const move = Math.abs(Math.log(price[t + 1] / price[Math.max(0, t + 1 - p.breakerWindow)]));
      if (move > p.breakerThreshold) this.haltUntil = t + 1 + p.breakerHalt;
    }
    const perps = this.perps;
    this.record(t + 1, {
      gex,
      dealerVega: vega,
      optionDemand: this.dealers.demandVega,
      dealerFlow: dealerQty * S,
      ammFlow: ammQty * S,
      shockFlow: shockNow,
      valueFlow: valueQty * S,
      arbFlow: arbQty * S,
      cppiFlow: cppiQty * S,
      redemptionFlow: redemptionQty * S,
      liqLending: this.lending.tickSoldUsd,
      lendingBadDebt: this.lending.tickBadDebt,
      liqAccounts: perps.tickAccounts,
      liqQueue: perps.queued() * S1,
      deleverage: perps.tickDeleverage * S,
      maintMargin,
      halted: halted ? 1 : 0,
      depth,
      liqLong: perps.tickLiqLong,
      liqShort: perps.tickLiqShort,
      adlVolume: perps.tickAdl,
      liqMargin: perps.tickMargin,
      liqCounterparty: perps.tickCounterparty,
      liqBonus: perps.tickBonus,
      liqReturned: perps.tickReturned,
      fundIn: perps.tickFundIn,
      fundPaid: perps.tickFundPaid,
      badDebt: perps.tickBadDebt,
      poolPrice: this.lending.pool.price(),
      insuranceFund: perps.fund,
      pegPrice: this.stablecoin.peg,
      stableSupply: this.stablecoin.supply,
      tokenSupply: this.stablecoin.tokens,
    });
    this.column('oracle')[t + 1] = this.publishOracle(t + 1, oracle);
  }

  private record(t: number, values: Record<Recorded, number>): void {
    for (const [key, value] of Object.entries(values)) this.column(key as SeriesKey)[t] = value;
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
}
