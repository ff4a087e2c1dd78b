/**
 * Option dealers: each holds a few option positions, an underlying hedge, a hedge band, a
 * participation rate, capital and running P&L. Two aggregate books hedge beside them: the
 * options AMM, when it holds a share of the book, and the liquidity providers who sold options
 * to dealers buying back (the vega loop). The twin of assembly/dealers.ts; here a dealer is an
 * object.
 *
 * Hedges trade at the tick's own price: the engine solves for the price with the hedges in it,
 * asking `trialFlow()` at trial prices and finally `commitHedges(…)` (see engine.ts).
 *
 * A dealer's P&L is kept as cash: P&L = cash + Σ position × the series' cumulative value change
 * + hedge × (hedge mark − start price), the hedge mark being the tick's open, then the price the
 * hedges traded at. It is computed in full whenever it is asked, the same sum in the same order
 * as assembly/dealers.ts, which (unlike this file) skips the dealers it can prove unchanged.
 */
import { MODEL, lognormalFactor, type EngineParams } from '../constants.ts';
import type { Rng } from '../rng.ts';
import type { OptionSeries, Options } from './options.ts';

interface Dealer {
  series: number[];
  positions: number[];
  hedge: number;
  band: number;
  rate: number;
  capital: number;
  /** P&L = cash + Σ position × the series' cumulative value change + hedge × (hedge mark − start price). */
  cash: number;
}

/**
 * Dealers' sign on the series customers hold long (they bought them: protection) and on those
 * customers hold short (they sold them: overwriting, yield), for gex g in [−1, 1]:
 * g − (1 − g²) and g + (1 − g²), scaled so the larger is 1 in size. −1: dealers are short every
 * option; 0: they hold exactly the customers' other side; +1: long every option. In between the
 * mix moves smoothly, and dealers' net gamma at spot has the sign of g.
 */
export function dealerSign(g: number, longByCustomers: boolean): number {
  const bought = g - (1 - g * g);
  const sold = g + (1 - g * g);
  const scale = Math.max(Math.abs(bought), Math.abs(sold));
  return (longByCustomers ? bought : sold) / scale;
}

const amm = (o: OptionSeries) => o.ammNet;
const providers = (o: OptionSeries) => o.providerNet;

export class Dealers {
  /** Vega (per vol point) dealers bought back this tick: option demand. */
  demandVega = 0;
  /** The AMM's hedge gap at the tick's open. */
  ammGap = 0;
  /** d trialFlow / dX at the last trial price … */
  trialSlope = 0;
  /** … and the most the flow can move from its value there, whatever the price: Σ rate × |position|. */
  trialReach = 0;
  /** Dealers' own hedge flow at the committed price (with the providers'), and the AMM's: read after `commitHedges`. */
  committedDealerFlow = 0;
  committedAmmFlow = 0;
  private dealers: Dealer[] = [];
  private ammHedge = 0;
  private providerHedge = 0;
  /** The price hedges are marked from (the start price): P&L counts hedge × (mark − origin). */
  private origin = 0;
  /** Cumulative value change of one contract of each series (an expiring series settles at intrinsic value). */
  private cumulative: number[] = [];
  /** Mean contracts per position at the draw: the scale below which a bought-back position is closed. */
  private contracts = 0;
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
    this.contracts = contractsPerPosition;
    this.cumulative = this.options.series.map(() => 0);
    const dealerShare = 1 - p.ammShare;
    const signBought = dealerSign(p.gex, true);
    const signSold = dealerSign(p.gex, false);
    for (let d = 0; d < p.dealers; d++) {
      const dealer: Dealer = { series: [], positions: [], hedge: 0, band: 0, rate: 0, capital: 0, cash: 0 };
      let book = 0;
      for (let j = 0; j < MODEL.POSITIONS_PER_DEALER; j++) {
        // A position lands in a series with probability proportional to its open interest.
        const s = this.options.drawSeries(rng.uniform());
        const size = contractsPerPosition * lognormalFactor(MODEL.SIZE_SIGMA, rng.normal());
        const o = this.options.series[s];
        const sign = o.customerLong ? signBought : signSold;
        // The customer book is the same whoever holds it; an options AMM takes its share.
        const position = dealerShare * sign * size;
        dealer.series.push(s);
        dealer.positions.push(position);
        o.dealerNet += position;
        o.ammNet += p.ammShare * sign * size;
        book += Math.abs(position);
      }
      dealer.band = p.hedgeBand * book * (0.5 + rng.uniform());
      dealer.rate = Math.min(1, p.hedgeRate * (0.5 + rng.uniform()));
      dealer.capital = (p.dealerCapital / p.dealers) * (0.5 + rng.uniform());
      this.dealers.push(dealer);
    }
  }

  /** Start every dealer and the AMM delta-neutral at the current Greeks, at price S. */
  neutralizeDealers(S: number): void {
    for (const dealer of this.dealers) dealer.hedge = -this.bookDelta(dealer, (o) => o.delta);
    this.ammHedge = -this.options.series.reduce((d, o) => d + o.ammNet * o.delta, 0);
    this.providerHedge = 0;
    this.origin = S;
  }

  /**
   * Mark every book to the tick's open S (option value changes, expiry settlement, the hedge); a
   * dealer short vega and past its loss limit buys back a share of each short position from other
   * liquidity providers, paying the price at the implied vol its demand lifts: `liftPerVega` is
   * the vol added per unit of vega bought. A position bought back to less than POSITION_DUST of
   * the mean position is closed. Records `demandVega` and the AMM's gap. After `priceOptions`;
   * `t` is the tick (unused here: the WASM engine's screens keep time by it).
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  markAndBuyBack(S: number, liftPerVega: number, t: number): void {
    const p = this.p;
    const series = this.options.series;
    const cumulative = this.cumulative;
    series.forEach((o, s) => (cumulative[s] += o.priceChange));
    const mark = S - this.origin;
    this.demandVega = 0;
    const stressed: Dealer[] = [];
    for (const dealer of this.dealers) {
      const options = dealer.series.reduce((sum, s, j) => sum + dealer.positions[j] * cumulative[s], 0);
      const pnl = dealer.cash + options + dealer.hedge * mark;
      if (pnl >= -p.lossLimit * dealer.capital) continue;
      const bookVega = dealer.series.reduce((sum, s, j) => sum + dealer.positions[j] * series[s].vega, 0);
      if (bookVega >= 0) continue;
      stressed.push(dealer);
      dealer.positions.forEach((pos, j) => {
        if (pos < 0) this.demandVega += -pos * MODEL.BUYBACK_RATE * series[dealer.series[j]].vega * MODEL.PER_PERCENT;
      });
    }
    // The tick's demand lifts implied vol; every buyer pays for what it buys at the lifted vol.
    const lift = liftPerVega * this.demandVega;
    const dust = MODEL.POSITION_DUST * this.contracts;
    for (const dealer of stressed) {
      let cost = 0;
      dealer.positions.forEach((pos, j) => {
        if (pos >= 0) return;
        const s = dealer.series[j];
        const o = series[s];
        let bought = -pos * MODEL.BUYBACK_RATE;
        // A position bought back to dust is closed (no subnormal positions).
        if (Math.abs(pos + bought) < dust) bought = -pos;
        dealer.positions[j] = pos + bought;
        o.dealerNet += bought;
        o.providerNet -= bought;
        cost += bought * o.vega * lift * o.termWeight;
        // The position's value moves from the dealer's options to its cash.
        dealer.cash -= bought * cumulative[s];
      });
      dealer.cash -= cost;
    }
    this.ammGap = -series.reduce((d, o) => d + o.ammNet * o.delta, 0) - this.ammHedge;
  }

  /**
   * Net hedge flow (units, + buys) of dealers, the AMM and the providers at the trial price whose
   * Greeks `greeksAt` left in the series; leaves d flow / dX in `trialSlope` and how far the flow
   * can move in `trialReach`. `X` is the trial price (unused here: the WASM engine screens by it).
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  trialFlow(X: number): number {
    let flow = 0;
    let slope = 0;
    let reach = 0;
    for (const dealer of this.dealers) {
      const gap = -this.bookDelta(dealer, (o) => o.trialDelta) - dealer.hedge;
      if (Math.abs(gap) > dealer.band) {
        flow += dealer.rate * gap;
        slope -= dealer.rate * this.bookDelta(dealer, (o) => o.trialGamma);
        // No price move can change a book's delta by more than Σ|position| (a delta moves within a unit).
        reach += dealer.rate * dealer.positions.reduce((sum, pos) => sum + Math.abs(pos), 0);
      }
    }
    const providerRate = this.p.hedgeRate;
    const options = this.options;
    const grossSize = (net: (o: OptionSeries) => number) => options.series.reduce((g, o) => g + Math.abs(net(o)), 0);
    flow +=
      MODEL.AMM_HEDGE_RATE * (-options.bookTrialDelta(amm) - this.ammHedge) +
      providerRate * (-options.bookTrialDelta(providers) - this.providerHedge);
    slope -= MODEL.AMM_HEDGE_RATE * options.bookTrialGamma(amm) + providerRate * options.bookTrialGamma(providers);
    reach += MODEL.AMM_HEDGE_RATE * grossSize(amm) + providerRate * grossSize(providers);
    this.trialSlope = slope;
    this.trialReach = reach;
    return flow;
  }

  /**
   * Trade every hedge at the tick's solved price X along the line the solve used: each hedger
   * that traded in the last `trialFlow` (at price `at`, whose Greeks the series still hold)
   * trades its rate × (gap at `at` − book gamma × (X − at) × `keep`), `keep` being the share of
   * the within-tick response the engine kept (1 unless capped); hedges held from the open S to X
   * are marked. Returns the net flow (units). Once a tick the venue trades.
   */
  commitHedges(at: number, X: number, S: number, keep: number): number {
    const shift = (X - at) * keep;
    const mark = X - this.origin;
    let flow = 0;
    for (const dealer of this.dealers) {
      const h = dealer.hedge;
      const gap = -this.bookDelta(dealer, (o) => o.trialDelta) - h;
      if (Math.abs(gap) > dealer.band) {
        const trade = dealer.rate * (gap - this.bookDelta(dealer, (o) => o.trialGamma) * shift);
        dealer.hedge = h + trade;
        // The hedge held from the open is marked at X (the mark moves); what it trades is paid in cash.
        dealer.cash -= trade * mark;
        flow += trade;
      }
    }
    const providerRate = this.p.hedgeRate;
    const options = this.options;
    const ammTrade =
      MODEL.AMM_HEDGE_RATE * (-options.bookTrialDelta(amm) - this.ammHedge - options.bookTrialGamma(amm) * shift);
    const providerTrade =
      providerRate *
      (-options.bookTrialDelta(providers) - this.providerHedge - options.bookTrialGamma(providers) * shift);
    this.ammHedge += ammTrade;
    this.providerHedge += providerTrade;
    this.committedDealerFlow = flow + providerTrade;
    this.committedAmmFlow = ammTrade;
    return flow + ammTrade + providerTrade;
  }

  private bookDelta(dealer: Dealer, greek: (o: OptionSeries) => number): number {
    let sum = 0;
    dealer.series.forEach((s, j) => (sum += dealer.positions[j] * greek(this.options.series[s])));
    return sum;
  }
}
