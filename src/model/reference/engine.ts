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
 *   3. dealers mark their books; those short vega and past their loss limit buy options back
 *      from other liquidity providers, paying at the implied vol their demand lifts;
 *   4. implied vol moves toward the day's realized vol, plus option demand and the AMM's quote
 *      (the vega loop, effective next tick);
 *   5. liquidations: dynamic margin; perp accounts whose liquidation price the oracle crossed
 *      join a FIFO queue worked at `liqSpeed` (and the throttle), margin-called accounts post
 *      collateral and deleverage; loans are liquidated by keepers who sell the seized
 *      collateral into the DEX pool;
 *   6. threshold sellers: CPPI portfolio insurers rebalance; stablecoin redemptions mint and sell
 *      the governance token;
 *   7. arbitrageurs pull the pool toward the venue;
 *   8. price formation: the tick's price is solved with the agents that trade at it — dealers'
 *      hedges (the gamma loop), the AMM's and the providers', and value traders — so a hedge
 *      trades at the price its own flow helps form; perp liquidations settle at that price
 *      (bonus, fund, ADL, bad debt);
 *   9. realized vol, the circuit breaker, the record, the gamma flip and the next oracle.
 * While a circuit breaker halts the venue nothing trades on it (lending and the pool, on chain,
 * go on); the scripted sell program pauses and resumes on reopen, the liquidation queue waits.
 * The counterfactual runs in lockstep on the same noise and shock with every reflexive agent
 * (dealers, the AMM, liquidations, insurers, the stablecoin) and depth thinning (the
 * liquidity-withdrawal loop) switched off, and no policies; value traders and pool
 * arbitrageurs stay. The schema's loop switches reach both engines as other parameters' values
 * (`toEngineBlock`), except `loopDealers`, which step 8 reads: with it off nobody re-hedges.
 */
import type { Engine, LiquidationMap } from '../engine.ts';
import { Rng } from '../rng.ts';
import { SERIES_KEYS, type SeriesKey } from '../series.ts';
import { MODEL, clockOf, optionIndex, readBlock, type EngineParams } from '../constants.ts';
import { defaultOptionGrid, toGridBlock } from '../option-grid.ts';
import { Market, shockUsdPerTick, depthFactor, updateVariances } from './market.ts';
import { Options } from './options.ts';
import { Dealers } from './dealers.ts';
import { Perps } from './perps.ts';
import { Lending } from './lending.ts';
import { Insurers } from './insurers.ts';
import { Stablecoin } from './stablecoin.ts';

/** The columns `advance` records through `record` (the markets' own through `recordMarkets`, the oracle last). */
type Recorded = Exclude<
  SeriesKey,
  'price' | 'cfPrice' | 'fairValue' | 'realizedVol' | 'impliedVol' | 'cfRealizedVol' | 'oracle'
>;

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
  /** Ticks of the sell program the run has executed: the program pauses while the venue is halted. */
  private shockDone = 0;
  private haltUntil = 0;
  /** Total vega (per vol point) of the customer book at the start: the scale of option demand. */
  private bookVega0 = 1;
  /** The price the tick's hedges and value traders traded at, and their flow (units), from `solveTick`. */
  private solvedPrice = 0;
  private solvedHedges = 0;
  private solvedValue = 0;
  /** The hedgers' flow as a line in the tick's price X: flow ≈ hedgeFlow + hedgeSlope × (X − hedgeAt), moving at most hedgeReach. */
  private hedgeFlow = 0;
  private hedgeSlope = 0;
  private hedgeAt = 0;
  private hedgeReach = 0;

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
    this.shockDone = 0;
    this.haltUntil = 0;

    this.options = new Options(p);
    this.dealers = new Dealers(p, this.options);
    this.perps = new Perps(p);
    this.lending = new Lending(p);
    this.insurers = new Insurers(p);
    this.stablecoin = new Stablecoin(p);
    this.options.initOptions(grid);
    this.dealers.initDealers(agentRng);
    this.options.noteHolders();
    this.perps.initPerps(agentRng);
    this.lending.initLending(agentRng);
    this.insurers.initInsurers(agentRng);
    this.stablecoin.initStablecoin();
    // Tick 0 prices at exp(ln price0), which may differ from price0 in the last bit: start the
    // books neutral at exactly that price, or a zero hedge band trades a rounding-sized gap.
    const start = Math.exp(this.run.lnPrice);
    this.options.priceOptions(start, 0, this.impliedVol);
    this.dealers.neutralizeDealers(start);
    this.bookVega0 = Math.max(1e-9, this.options.bookVega());
    const g = this.options.gexAt(start);

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
    col('gammaFlip')[0] = this.options.gammaFlip(start, 0);
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
    return prices.map((P) => this.options.gexIfSpot(P, this.tick));
  }

  liquidationMap(edges: Float64Array): LiquidationMap {
    return { ...this.perps.liquidationMap(edges), lending: this.lending.lendingMap(edges) };
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

    // 1. exogenous flow (the scripted program pauses while the venue is halted and resumes after)
    const noise = p.vol0 * Math.sqrt(clockOf(p.clock).dtYears) * this.marketRng.normal();
    const scripted = t >= p.shockStart && t < p.shockStart + p.shockTicks ? -this.shockUsd : 0;
    let shockNow = 0;
    if (!halted && t >= p.shockStart && this.shockDone < p.shockTicks) {
      shockNow = -this.shockUsd;
      this.shockDone++;
    }

    // 2. oracle
    const oracle = this.column('oracle')[t];

    // 3. dealers mark their books; those past their loss limit buy options back
    this.options.priceOptions(S, t, this.impliedVol);
    const liftPerVega = p.ivDemand / this.bookVega0;
    this.dealers.markAndBuyBack(S, liftPerVega, t);
    const gex = this.options.gexAt(S);
    const vega = this.options.dealerVega();
    const stress = gexStress(p, gex);

    // 4. the vega loop (takes effect next tick)
    const ammQuote =
      p.ammShare *
      MODEL.AMM_IV_SLOPE *
      (stress + Math.abs(this.dealers.ammGap) / Math.max(1e-9, this.options.ammDeltaScale()));
    const dayVol = Math.sqrt(run.dayVariance);
    const drifted =
      this.impliedVol + p.ivSpeed * (dayVol - this.impliedVol) + liftPerVega * this.dealers.demandVega + ammQuote;
    const nextImpliedVol = Math.min(MODEL.MAX_IMPLIED_VOL, Math.max(MODEL.MIN_IMPLIED_VOL, drifted));

    // 5. liquidations
    const maintMargin = Math.min(
      MODEL.MAX_MAINT_MARGIN,
      p.maintMargin *
        (1 + p.dynamicMargin * (Math.max(0, Math.sqrt(run.variance) / p.vol0 - MODEL.VOL_STRESS) + stress)),
    );
    this.perps.trigger(oracle, maintMargin);
    let deleverageQty = 0;
    let liqQty = 0;
    // While the venue is halted nothing executes, but margin-called traders can still post collateral.
    if (halted) this.perps.skipExecution();
    else liqQty = this.perps.execute(S);
    deleverageQty = this.perps.deleverage(oracle, S);
    this.lending.liquidateLoans(oracle, this.eventRng);

    // 6. threshold sellers and the stablecoin
    const cppiQty = halted ? 0 : this.insurers.rebalanceInsurers(S);
    const redemptionQty = -this.stablecoin.redeemStablecoin(S, oracle, halted) / oracle;

    // 7. pool arbitrage (the pool is part of the market only when loans are sold into it or the oracle reads it)
    const poolActive = p.borrowers > 0 || p.oracleMode === optionIndex('oracleMode', 'pool');
    const arbQty = halted || !poolActive ? 0 : this.lending.pool.arbitrage(S);
    const cfArbQty = poolActive ? this.lending.cfPool.arbitrage(Math.exp(cf.lnPrice)) : 0;

    // 8. price formation: dealers' hedges and value traders trade at the price they help form
    const depth = depthFactor(p, run.variance, this.impliedVol);
    run.lnFair = this.lnFair;
    cf.lnFair = this.lnFair;
    const flowQty = liqQty + deleverageQty + cppiQty + redemptionQty + arbQty;
    // The gamma loop's switch: with it off, the option hedgers keep the hedges they started with.
    const hedging = p.loopDealers !== optionIndex('loopDealers', 'off');
    let next = run.lnPrice;
    let valueQty = 0;
    let tradedAt = S;
    if (halted) run.holdTick(noise);
    else {
      run.openTick(noise);
      next = this.solveTick(run, shockNow + flowQty * S, S, depth, hedging, t);
      valueQty = this.solvedValue;
      tradedAt = this.solvedPrice;
    }
    const cfS = Math.exp(cf.lnPrice);
    cf.openTick(noise);
    const cfNext = this.solveTick(cf, scripted + cfArbQty * cfS, cfS, 1, false, t);
    this.lnFair += noise;
    const S1 = Math.exp(next);
    this.perps.settle(S1);

    // 9. volatility, breaker, record, next oracle
    updateVariances(p, run, next - run.lnPrice);
    updateVariances(p, cf, cfNext - cf.lnPrice);
    run.lnPrice = next;
    cf.lnPrice = cfNext;
    this.impliedVol = nextImpliedVol;
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
      dealerFlow: halted || !hedging ? 0 : this.dealers.committedDealerFlow * tradedAt,
      ammFlow: halted || !hedging ? 0 : this.dealers.committedAmmFlow * tradedAt,
      shockFlow: shockNow,
      valueFlow: valueQty * tradedAt,
      arbFlow: arbQty * S,
      cppiFlow: cppiQty * S,
      redemptionFlow: redemptionQty * S,
      liqLending: this.lending.tickSoldUsd,
      lendingBadDebt: this.lending.tickBadDebt,
      liqAccounts: perps.tickAccounts,
      liqQueue: perps.queued() * S1,
      deleverage: perps.tickDeleverage * S,
      marginPosted: perps.tickPosted,
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
      gammaFlip: this.options.gammaFlip(S1, t),
    });
    this.column('oracle')[t + 1] = this.publishOracle(t + 1, oracle);
  }

  /**
   * Form the tick's price with the agents that trade at it: option hedgers (dealers, the AMM, the
   * providers; only in the run) and value traders. Their flow depends on the price it helps form,
   * so the price solves x = price(flow(x)). The hedgers' flow is a pass over every dealer, so it is
   * evaluated HEDGE_PASSES times, each time at the last solution, and taken as a line between
   * (dealers outside their band there trade their rate × gap, which moves by −rate × book gamma per
   * unit of price); given that line the value traders' flow is cheap, and the equation is solved
   * exactly (`solveLine`). Every hedge then trades at the solution along the same line, so the
   * price is formed by exactly the flow that traded at it. `otherUsd` is the flow decided at the open.
   */
  private solveTick(m: Market, otherUsd: number, S: number, depth: number, hedgers: boolean, t: number): number {
    let x = Math.log(S);
    this.hedgeFlow = 0;
    this.hedgeSlope = 0;
    this.hedgeAt = S;
    this.hedgeReach = 0;
    if (hedgers) {
      for (let k = 0; k < MODEL.HEDGE_PASSES; k++) {
        this.hedgeAt = Math.exp(x);
        this.options.greeksAt(this.hedgeAt, t);
        this.hedgeFlow = this.dealers.trialFlow(this.hedgeAt);
        this.hedgeReach = this.dealers.trialReach;
        this.hedgeSlope = this.capHedgeSlope(m, otherUsd, depth, this.dealers.trialSlope);
        x = this.solveLine(m, otherUsd, depth, x);
      }
    } else x = this.solveLine(m, otherUsd, depth, x);
    const X = Math.exp(x);
    this.solvedPrice = X;
    // The share of their own line's move the hedges keep: less when capped or beyond their reach.
    const unclamped = this.dealers.trialSlope * (X - this.hedgeAt);
    this.solvedHedges = hedgers
      ? this.dealers.commitHedges(this.hedgeAt, X, S, unclamped === 0 ? 1 : this.hedgeMove(X) / unclamped)
      : 0;
    this.solvedValue = m.valueTrade(x);
    m.valuePosition += this.solvedValue;
    return m.closeTick(otherUsd + (this.solvedHedges + this.solvedValue) * X, depth);
  }

  /**
   * A short-gamma book so large that its hedges would move the tick's price by more than the
   * move that triggers them has no price to clear at within the tick: its within-tick response is
   * capped at 1 − MIN_SOLVE_SLOPE of that (the rest of its gap trades at the next tick's price).
   */
  private capHedgeSlope(m: Market, otherUsd: number, depth: number, slope: number): number {
    if (slope <= 0) return slope;
    const gain = m.slopeFor(otherUsd + this.hedgeFlow * this.hedgeAt, depth) * this.hedgeAt * slope * this.hedgeAt;
    return gain > 1 - MODEL.MIN_SOLVE_SLOPE ? (slope * (1 - MODEL.MIN_SOLVE_SLOPE)) / gain : slope;
  }

  /** How far the hedgers' flow moves from hedgeAt to X along their line (within their reach). */
  private hedgeMove(X: number): number {
    return Math.min(this.hedgeReach, Math.max(-this.hedgeReach, this.hedgeSlope * (X - this.hedgeAt)));
  }

  /** Flow (units) of the hedgers' line and the value traders at log price x. */
  private flowAt(m: Market, x: number): number {
    return this.hedgeFlow + this.hedgeMove(Math.exp(x)) + m.valueTrade(x);
  }

  /**
   * Solve x = price(flow(x)) for the tick, flow given by the hedgers' line and the value traders:
   * bracket the root from x0 by doubling steps, then Newton steps kept inside the bracket
   * (bisection when a step would leave it), at most SOLVE_ITERATIONS, to SOLVE_TOLERANCE in log
   * price. f(x) = x − price(flow(x)) rises with x whenever the agents stabilize the price, and the
   * bracket catches a root either way.
   */
  private solveLine(m: Market, otherUsd: number, depth: number, x0: number): number {
    const f0 = x0 - m.priceFor(otherUsd + this.flowAt(m, x0) * Math.exp(x0), depth);
    if (f0 === 0) return x0;
    let lo = x0;
    let hi = x0;
    let flo = f0;
    let fhi = f0;
    let step = MODEL.SOLVE_FIRST_STEP;
    // f0 > 0: the root lies below x0; f0 < 0: above.
    for (let i = 0; i < MODEL.SOLVE_ITERATIONS; i++) {
      const x = f0 > 0 ? x0 - step : x0 + step;
      const f = x - m.priceFor(otherUsd + this.flowAt(m, x) * Math.exp(x), depth);
      if (f0 > 0) {
        lo = x;
        flo = f;
        if (f <= 0) break;
        hi = x;
        fhi = f;
      } else {
        hi = x;
        fhi = f;
        if (f >= 0) break;
        lo = x;
        flo = f;
      }
      step *= 2;
    }
    if (flo > 0 || fhi < 0) return flo > 0 ? lo : hi;
    let x = flo === fhi ? 0.5 * (lo + hi) : lo - (flo * (hi - lo)) / (fhi - flo);
    for (let i = 0; i < MODEL.SOLVE_ITERATIONS; i++) {
      const X = Math.exp(x);
      const units = this.flowAt(m, x);
      const flow = otherUsd + units * X;
      const f = x - m.priceFor(flow, depth);
      if (f === 0) return x;
      if (f < 0) {
        lo = x;
        flo = f;
      } else {
        hi = x;
        fhi = f;
      }
      if (hi - lo <= MODEL.SOLVE_TOLERANCE) break;
      // d flow/dx of (units × X): X × (units + d units/dx).
      const hedgeDx = Math.abs(this.hedgeSlope * (X - this.hedgeAt)) < this.hedgeReach ? this.hedgeSlope * X : 0;
      const dflow = X * (units + hedgeDx + m.valueTradeSlope(x));
      const fprime = 1 - m.slopeFor(flow, depth) * dflow;
      let next = fprime > 0 ? x - f / fprime : 0.5 * (lo + hi);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      x = next;
    }
    return x;
  }

  private record(t: number, values: Record<Recorded, number>): void {
    for (const [key, value] of Object.entries(values)) this.column(key as SeriesKey)[t] = value;
  }

  /** The oracle price published at the end of tick t, from its source, if it moved past the deviation threshold. */
  private publishOracle(t: number, last: number): number {
    const p = this.p;
    const price = this.column('price');
    let source: number;
    if (p.oracleMode === optionIndex('oracleMode', 'pool'))
      source = this.column('poolPrice')[Math.max(0, t - p.oracleDelay)];
    else if (p.oracleMode === optionIndex('oracleMode', 'twap')) {
      const from = Math.max(0, t - Math.max(1, p.oracleDelay) + 1);
      let sum = 0;
      for (let i = from; i <= t; i++) sum += price[i];
      source = sum / (t - from + 1);
    } else source = price[Math.max(0, t - p.oracleDelay)];
    return Math.abs(source / last - 1) > p.oracleDeviation ? source : last;
  }
}

/**
 * Options stress on a calm baseline: how far dealers' short gamma exceeds a reference scale, the
 * hedge a 1% move forces of GEX_STRESS_SHARE × a day's volume: 0 in a calm market.
 */
function gexStress(p: EngineParams, gex: number): number {
  return Math.max(0, -gex / (MODEL.GEX_STRESS_SHARE * p.dailyVolume) - 1);
}
