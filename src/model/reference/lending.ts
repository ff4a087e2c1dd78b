/**
 * DeFi lending and the DEX pool its seized collateral is sold into. The twin of
 * assembly/lending.ts, which keeps loans ordered by liquidation price behind a cursor; here every
 * loan carries its state and every tick scans them all.
 */
import { MODEL, lognormalFactor, type EngineParams } from '../constants.ts';
import type { Rng } from '../rng.ts';
import { bucketOf } from './perps.ts';

interface Loan {
  index: number;
  debt: number;
  collateral: number;
  liqPrice: number;
  state: 'open' | 'queued' | 'rearmed' | 'closed';
}

/**
 * A constant-product DEX pool (x·y = k). The run has one; the counterfactual its own: pool
 * arbitrageurs are not a feedback loop, so the counterfactual keeps them.
 */
export class Pool {
  asset = 0;
  usd = 0;
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
  }

  /** Fill both sides at the start price. */
  reset(): void {
    this.usd = this.p.poolLiquidity;
    this.asset = this.usd / this.p.price0;
  }

  price(): number {
    return this.usd / this.asset;
  }

  /**
   * Arbitrageurs move the pool's price a share arbSpeed toward the venue's, trading the
   * difference on the venue; returns their venue flow (units). Every tick the venue trades.
   */
  arbitrage(S: number): number {
    const k = this.asset * this.usd;
    const poolPrice = this.usd / this.asset;
    const target = Math.exp(Math.log(poolPrice) + this.p.arbSpeed * (Math.log(S) - Math.log(poolPrice)));
    const asset = Math.sqrt(k / target);
    const bought = this.asset - asset;
    this.asset = asset;
    this.usd = k / asset;
    return -bought;
  }
}

export class Lending {
  readonly pool: Pool;
  readonly cfPool: Pool;
  /** Per-tick results, read by the engine after `liquidateLoans`. */
  tickSoldUsd = 0;
  tickBadDebt = 0;
  private loans: Loan[] = [];
  /** The keepers' queue, in order. */
  private queue: Loan[] = [];
  /** Loans a partial liquidation (close factor) left healthy, re-armed at their new, lower liquidation price. */
  private rearmed: Loan[] = [];
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
    this.pool = new Pool(p);
    this.cfPool = new Pool(p);
  }

  /** Draw every loan and fill the pools. */
  initLending(rng: Rng): void {
    const p = this.p;
    this.loans = [];
    const debtPerLoan = p.borrowers > 0 ? p.lendingDebt / p.borrowers : 0;
    for (let i = 0; i < p.borrowers; i++) {
      const debt = debtPerLoan * lognormalFactor(MODEL.NOTIONAL_SIGMA, rng.normal());
      const health = 1 + (p.loanHealth - 1) * Math.exp(MODEL.LOAN_HEALTH_SIGMA * rng.normal());
      const collateral = (health * debt) / (p.liqThreshold * p.price0);
      this.loans.push({ index: i, debt, collateral, liqPrice: debt / (collateral * p.liqThreshold), state: 'open' });
    }
    this.queue = [];
    this.rearmed = [];
    this.pool.reset();
    this.cfPool.reset();
  }

  /**
   * Queue the loans the oracle crossed, let keepers repay up to the close factor and seize
   * collateral with a bonus, and sell it into the pool. A failed auction (a zero bid) takes the
   * collateral for nothing and the debt is written off. Every tick.
   */
  liquidateLoans(oracle: number, events: Rng): void {
    const p = this.p;
    for (const loan of this.loans
      .filter((l) => l.state === 'open' && l.liqPrice >= oracle)
      .sort((x, y) => y.liqPrice - x.liqPrice || x.index - y.index)) {
      loan.state = 'queued';
      this.queue.push(loan);
    }
    for (const loan of this.rearmed.filter((l) => l.liqPrice >= oracle)) {
      loan.state = 'queued';
      this.queue.push(loan);
    }
    this.rearmed = this.rearmed.filter((l) => l.state === 'rearmed');

    let capacity = p.keeperCapacity;
    let seizedForSale = 0;
    this.tickBadDebt = 0;
    for (const loan of [...this.queue]) {
      if (capacity <= 0) break;
      let repay = Math.min(p.closeFactor * loan.debt, capacity);
      if (loan.debt - repay < MODEL.LOAN_DUST_USD) repay = loan.debt;
      let seized = (repay * (1 + p.lendingBonus)) / oracle;
      if (seized >= loan.collateral) {
        // The collateral no longer covers the debt: take it all; what it cannot repay is bad debt.
        seized = loan.collateral;
        const covered = Math.min(repay, (seized * oracle) / (1 + p.lendingBonus));
        this.tickBadDebt += loan.debt - covered;
        repay = loan.debt;
        capacity -= covered;
        if (events.uniform() < p.keeperFailure) this.tickBadDebt += covered;
        else seizedForSale += seized;
      } else {
        capacity -= repay;
        if (events.uniform() < p.keeperFailure) this.tickBadDebt += repay;
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
    this.queue = this.queue.filter((l) => l.state === 'queued');

    const k = this.pool.asset * this.pool.usd;
    const usdBefore = this.pool.usd;
    this.pool.asset += seizedForSale;
    this.pool.usd = k / this.pool.asset;
    this.tickSoldUsd = usdBefore - this.pool.usd;
  }

  /**
   * Collateral (USD, valued at its liquidation price) of the loans not yet queued, by
   * liquidation-price bucket of `edges` (n+1 entries → n buckets): the lending part of the
   * liquidation map.
   */
  lendingMap(edges: Float64Array): Float64Array {
    const out = new Float64Array(Math.max(0, edges.length - 1));
    for (const loan of this.loans) {
      if (loan.state === 'queued' || loan.state === 'closed') continue;
      const b = bucketOf(edges, loan.liqPrice);
      if (b >= 0) out[b] += loan.collateral * loan.liqPrice;
    }
    return out;
  }
}
