/**
 * Portfolio insurers (1987): CPPI agents hold multiplier × (value − floor) in the asset, capped
 * at their value, and rebalance when off target by more than their band — selling into
 * declines — as far as the market's capacity for their orders lets them. The twin of
 * assembly/insurers.ts.
 */
import { MODEL, lognormalFactor, type EngineParams } from '../constants.ts';
import type { Rng } from '../rng.ts';

interface Insurer {
  floor: number;
  units: number;
  cash: number;
}

export class Insurers {
  private insurers: Insurer[] = [];
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
  }

  /** Draw every insurer's portfolio at the start price. */
  initInsurers(rng: Rng): void {
    const p = this.p;
    this.insurers = [];
    const valuePerInsurer = p.insurers > 0 ? p.insuredCapital / p.insurers : 0;
    for (let i = 0; i < p.insurers; i++) {
      const value = valuePerInsurer * lognormalFactor(MODEL.SIZE_SIGMA, rng.normal());
      const floor = p.cppiFloor * value;
      const exposure = Math.min(value, p.cppiMultiplier * (value - floor));
      this.insurers.push({ floor, units: exposure / p.price0, cash: value - exposure });
    }
  }

  /**
   * Every insurer off target by more than its band wants to trade to target; if together they
   * want more than `cppiCapacity` USD this tick, each trades the same share of its want. Returns
   * the net flow (units). Every tick the venue trades.
   */
  rebalanceInsurers(S: number): number {
    const p = this.p;
    const wanted = this.insurers.map((ins) => {
      const value = ins.units * S + ins.cash;
      const target = Math.min(value, Math.max(0, p.cppiMultiplier * (value - ins.floor)));
      const exposure = ins.units * S;
      return Math.abs(exposure - target) > p.cppiBand * Math.max(target, exposure) ? target / S - ins.units : 0;
    });
    const gross = wanted.reduce((g, w) => g + Math.abs(w), 0);
    const share = p.cppiCapacity > 0 && gross * S > p.cppiCapacity ? p.cppiCapacity / (gross * S) : 1;
    let flow = 0;
    this.insurers.forEach((ins, i) => {
      const trade = share * wanted[i];
      ins.units += trade;
      ins.cash -= trade * S;
      flow += trade;
    });
    return flow;
  }
}
