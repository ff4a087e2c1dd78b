/**
 * Option dealers: each holds a few option positions, an underlying hedge, a hedge band, a
 * participation rate, capital and running P&L. The options AMM, when it holds a share of the
 * book, is one more (slow) hedger. The twin of assembly/dealers.ts; here a dealer is an object.
 */
import { MODEL, lognormalFactor, type EngineParams } from '../constants.ts';
import type { Rng } from '../rng.ts';
import type { Options } from './options.ts';

interface Dealer {
  series: number[];
  positions: number[];
  hedge: number;
  band: number;
  rate: number;
  capital: number;
  pnl: number;
}

export class Dealers {
  /** Vega (per vol point) dealers bought back this tick: option demand. */
  demandVega = 0;
  /** The AMM's hedge gap before this tick's trade. */
  ammGap = 0;
  private dealers: Dealer[] = [];
  private ammHedge = 0;
  private readonly p: EngineParams;
  private readonly options: Options;

  constructor(p: EngineParams, options: Options) {
    this.p = p;
    this.options = options;
  }

  /** Draw every dealer's book over the option grid (after `initOptions`). */
  initDealers(rng: Rng): void {
    const p = this.p;
    this.dealers = [];
    const contractsPerPosition = p.dealers > 0 ? p.optionOI / (MODEL.POSITIONS_PER_DEALER * p.dealers * p.price0) : 0;
    const dealerShare = 1 - p.ammShare;
    for (let d = 0; d < p.dealers; d++) {
      const dealer: Dealer = { series: [], positions: [], hedge: 0, band: 0, rate: 0, capital: 0, pnl: 0 };
      let book = 0;
      for (let j = 0; j < MODEL.POSITIONS_PER_DEALER; j++) {
        // A position lands in a series with probability proportional to its open interest.
        const s = this.options.drawSeries(rng.uniform());
        const size = contractsPerPosition * lognormalFactor(MODEL.SIZE_SIGMA, rng.normal());
        // The customer book is the same whoever holds it; an options AMM takes its share.
        const position = dealerShare * p.gex * size;
        dealer.series.push(s);
        dealer.positions.push(position);
        this.options.series[s].dealerNet += position;
        this.options.series[s].ammNet += p.ammShare * p.gex * size;
        book += Math.abs(position);
      }
      dealer.band = p.hedgeBand * book * (0.5 + rng.uniform());
      dealer.rate = Math.min(1, p.hedgeRate * (0.5 + rng.uniform()));
      dealer.capital = (p.dealerCapital / p.dealers) * (0.5 + rng.uniform());
      this.dealers.push(dealer);
    }
  }

  /** Start every dealer and the AMM delta-neutral at the current Greeks. */
  neutralizeDealers(): void {
    for (const dealer of this.dealers) dealer.hedge = -this.bookDelta(dealer);
    this.ammHedge = -this.options.ammDelta();
  }

  /**
   * Mark every book to the last tick's price changes (options, and the hedge by `priceMove`); a
   * dealer short vega and past its loss limit buys back a share of each short position (option
   * demand, recorded in `demandVega`). Before `rehedge`.
   */
  markAndBuyBack(priceMove: number): void {
    const p = this.p;
    const series = this.options.series;
    this.demandVega = 0;
    for (const dealer of this.dealers) {
      dealer.pnl += dealer.series.reduce((sum, s, j) => sum + dealer.positions[j] * series[s].priceChange, 0) + dealer.hedge * priceMove;
      if (dealer.pnl < -p.lossLimit * dealer.capital && this.bookVega(dealer) < 0) {
        dealer.positions.forEach((pos, j) => {
          if (pos >= 0) return;
          const bought = -pos * MODEL.BUYBACK_RATE;
          const o = series[dealer.series[j]];
          dealer.positions[j] = pos + bought;
          o.dealerNet += bought;
          this.demandVega += bought * o.vega * MODEL.PER_PERCENT;
        });
      }
    }
  }

  /** Every dealer re-hedges toward delta-neutral if outside its band; returns the net flow (units). Every tick the venue trades. */
  rehedge(): number {
    let flow = 0;
    for (const dealer of this.dealers) {
      const gap = -this.bookDelta(dealer) - dealer.hedge;
      if (Math.abs(gap) > dealer.band) {
        const trade = dealer.rate * gap;
        dealer.hedge += trade;
        flow += trade;
      }
    }
    return flow;
  }

  /** The options AMM trades a small share of its hedge gap: it hedges over time. Returns its flow (units). Every tick the venue trades. */
  ammRehedge(): number {
    this.ammGap = -this.options.ammDelta() - this.ammHedge;
    const trade = MODEL.AMM_HEDGE_RATE * this.ammGap;
    this.ammHedge += trade;
    return trade;
  }

  private bookDelta(dealer: Dealer): number {
    let delta = 0;
    dealer.series.forEach((s, j) => (delta += dealer.positions[j] * this.options.series[s].delta));
    return delta;
  }

  private bookVega(dealer: Dealer): number {
    return dealer.series.reduce((sum, s, j) => sum + dealer.positions[j] * this.options.series[s].vega, 0);
  }
}
