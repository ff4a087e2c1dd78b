/**
 * The option series the dealers trade, read from the grid block (see src/model/option-grid.ts):
 * type, strike ÷ spot, days to expiry, open-interest weight. The twin of assembly/options.ts;
 * here every series is an object priced with the full Black–Scholes formula.
 */
import { MODEL, type EngineParams } from '../constants.ts';
import { bsm } from '../greeks.ts';
import { GRID_STRIDE, tenorTicks } from '../option-grid.ts';

export interface OptionSeries {
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

export class Options {
  series: OptionSeries[] = [];
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
  }

  /** List the grid's series at the start price. */
  initOptions(grid: Float64Array): void {
    const p = this.p;
    this.series = [];
    let cumulative = 0;
    for (let i = 0; i < grid.length / GRID_STRIDE; i++) {
      const [isCall, moneyness, tenorDays, weight] = grid.subarray(i * GRID_STRIDE, (i + 1) * GRID_STRIDE);
      cumulative += weight;
      const ticksToExpiry = tenorTicks(tenorDays);
      this.series.push({
        isCall: isCall === 1, moneyness, tenorTicks: ticksToExpiry, cumulativeWeight: cumulative,
        strike: p.price0 * moneyness, expiryTick: ticksToExpiry,
        dealerNet: 0, ammNet: 0, price: 0, priceChange: 0, delta: 0, gamma: 0, vega: 0,
      });
    }
  }

  /** The series a uniform draw u lands in: the first whose running weight exceeds u × total. */
  drawSeries(u: number): number {
    const target = u * this.series[this.series.length - 1].cumulativeWeight;
    const s = this.series.findIndex((o) => o.cumulativeWeight > target);
    return s < 0 ? this.series.length - 1 : s;
  }

  /** Roll expired series (same tenor, same moneyness on today's spot), then mark every series at S. */
  priceOptions(S: number, t: number, iv: number): void {
    const p = this.p;
    for (const o of this.series) {
      let settled = -1;
      if (o.expiryTick <= t) {
        settled = Math.max(0, o.isCall ? S - o.strike : o.strike - S);
        o.expiryTick += o.tenorTicks;
        o.strike = S * o.moneyness;
      }
      const g = bsm(o.isCall ? 'call' : 'put', S, o.strike, (o.expiryTick - t) * MODEL.DT_YEARS, p.rate, p.dividend, iv);
      // An expiring series settles at intrinsic value; its successor starts at the market price.
      o.priceChange = t === 0 ? 0 : (settled >= 0 ? settled : g.price) - o.price;
      o.price = g.price;
      o.delta = g.delta;
      o.gamma = g.gamma;
      o.vega = g.vega;
    }
  }

  /** GEX per 1% move at S of everyone who makes markets in the options: dealers and the AMM. */
  gexAt(S: number): number {
    return this.series.reduce((g, o) => g + (o.dealerNet + o.ammNet) * o.gamma, 0) * S * S * MODEL.PER_PERCENT;
  }

  /** Market makers' vega per vol point, from the current Greeks. */
  dealerVega(): number {
    return this.series.reduce((v, o) => v + (o.dealerNet + o.ammNet) * o.vega, 0) * MODEL.PER_PERCENT;
  }

  /** Total vega per vol point of the customer book, whoever holds it: the scale of option demand. */
  bookVega(): number {
    return this.series.reduce((v, o) => v + Math.abs(o.dealerNet + o.ammNet) * o.vega, 0) * MODEL.PER_PERCENT;
  }

  /** The AMM's book delta. */
  ammDelta(): number {
    return this.series.reduce((d, o) => d + o.ammNet * o.delta, 0);
  }

  /** The AMM's gross delta, Σ|position × delta|: the scale of its hedge gap. */
  ammDeltaScale(): number {
    return this.series.reduce((d, o) => d + Math.abs(o.ammNet * o.delta), 0);
  }

  /** Dealers' GEX per 1% move if spot were P, at time t and implied vol iv (the gamma profile). */
  gexIfSpot(P: number, t: number, iv: number): number {
    const p = this.p;
    let g = 0;
    for (const o of this.series) {
      const net = o.dealerNet + o.ammNet;
      if (net === 0) continue;
      const T = (o.expiryTick - t) * MODEL.DT_YEARS;
      g += net * bsm(o.isCall ? 'call' : 'put', P, o.strike, T, p.rate, p.dividend, iv).gamma;
    }
    return g * P * P * MODEL.PER_PERCENT;
  }
}
