// DeFi lending and the DEX pool its seized collateral is sold into.
//
// Loans are kept ordered by liquidation price (highest first), so the oracle's crossings are a
// prefix reached by a cursor. A loan that a partial liquidation (close factor) left healthy is
// re-armed at its new, lower liquidation price in a short list checked every tick.
import { P, NOTIONAL_SIGMA, LOAN_HEALTH_SIGMA, LOAN_DUST_USD, lognormalFactor } from './layout';
import { param } from './params';
import { Rng } from './rng';
import { sortByKey } from './radix';
import { mapBucket } from './perps';

const OPEN: u8 = 0;
const QUEUED: u8 = 1;
const REARMED: u8 = 2;
const CLOSED: u8 = 3;

let count: i32 = 0;
let debt = new StaticArray<f64>(0);
let collateral = new StaticArray<f64>(0);
let liqPrice = new StaticArray<f64>(0);
let state = new StaticArray<u8>(0);
/** Loan indices: the keepers' queue and the re-armed list, in order. */
let queue = new StaticArray<i32>(0);
let queueLength: i32 = 0;
let rearmed = new StaticArray<i32>(0);
let rearmedLength: i32 = 0;
let next: i32 = 0;

/** A constant-product DEX pool (x·y = k). The run has one; the counterfactual its own. */
export class Pool {
  asset: f64 = 0;
  usd: f64 = 0;

  /** Fill both sides at the start price. Called by `init`. */
  reset(): void {
    this.usd = param(P.poolLiquidity);
    this.asset = this.usd / param(P.price0);
  }

  price(): f64 {
    return this.usd / this.asset;
  }

  /**
   * Arbitrageurs move the pool's price a share arbSpeed toward the venue's, trading the
   * difference on the venue; returns their venue flow (units). Called every tick the venue trades.
   */
  arbitrage(S: f64): f64 {
    const k = this.asset * this.usd;
    const poolPrice = this.usd / this.asset;
    const target = Math.exp(Math.log(poolPrice) + param(P.arbSpeed) * (Math.log(S) - Math.log(poolPrice)));
    const asset = Math.sqrt(k / target);
    const bought = this.asset - asset;
    this.asset = asset;
    this.usd = k / asset;
    return -bought;
  }
}

export const pool = new Pool();
export const cfPool = new Pool();
export let tickSoldUsd: f64 = 0;
export let tickBadDebt: f64 = 0;

let drawLiq = new StaticArray<f64>(0);

/** Draw every loan, order them by liquidation price, fill the pool. Called by `init`. */
export function initLending(rng: Rng): void {
  const n = <i32>param(P.borrowers);
  if (count != n) {
    debt = new StaticArray<f64>(n);
    collateral = new StaticArray<f64>(n);
    liqPrice = new StaticArray<f64>(n);
    state = new StaticArray<u8>(n);
    queue = new StaticArray<i32>(n);
    rearmed = new StaticArray<i32>(n);
  }
  count = n;
  const S0 = param(P.price0);
  const threshold = param(P.liqThreshold);
  const debtPerLoan = n > 0 ? param(P.lendingDebt) / <f64>n : 0.0;
  const drawDebt = new StaticArray<f64>(n);
  const drawCollateral = new StaticArray<f64>(n);
  drawLiq = new StaticArray<f64>(n);
  const order = new StaticArray<i32>(n);
  for (let i = 0; i < n; i++) {
    const d = debtPerLoan * lognormalFactor(NOTIONAL_SIGMA, rng.normal());
    const health = 1.0 + (param(P.loanHealth) - 1.0) * Math.exp(LOAN_HEALTH_SIGMA * rng.normal());
    const c = (health * d) / (threshold * S0);
    unchecked(drawDebt[i] = d);
    unchecked(drawCollateral[i] = c);
    unchecked(drawLiq[i] = d / (c * threshold));
    unchecked(order[i] = i);
  }
  // By liquidation price down, ties by draw index, as in the reference engine (a stable radix sort).
  sortByKey(order, n, drawLiq, true);
  for (let i = 0; i < n; i++) {
    const a = unchecked(order[i]);
    unchecked(debt[i] = drawDebt[a]);
    unchecked(collateral[i] = drawCollateral[a]);
    unchecked(liqPrice[i] = drawLiq[a]);
    unchecked(state[i] = OPEN);
  }
  drawLiq = new StaticArray<f64>(0);
  next = 0;
  queueLength = 0;
  rearmedLength = 0;
  pool.reset();
  cfPool.reset();
}

/**
 * Queue the loans the oracle crossed, let keepers repay up to the close factor and seize
 * collateral with a bonus, and sell it into the pool. A failed auction (a zero bid) takes the
 * collateral for nothing and the debt is written off. Called every tick.
 */
export function liquidateLoans(oracle: f64, events: Rng): void {
  while (next < count && unchecked(liqPrice[next]) >= oracle) {
    unchecked(state[next] = QUEUED);
    unchecked(queue[queueLength++] = next);
    next++;
  }
  let kept = 0;
  for (let r = 0; r < rearmedLength; r++) {
    const i = unchecked(rearmed[r]);
    if (unchecked(liqPrice[i]) >= oracle) {
      unchecked(state[i] = QUEUED);
      unchecked(queue[queueLength++] = i);
    } else {
      unchecked(rearmed[kept++] = i);
    }
  }
  rearmedLength = kept;

  const threshold = param(P.liqThreshold);
  const closeFactor = param(P.closeFactor);
  const bonus = param(P.lendingBonus);
  const failure = param(P.keeperFailure);
  let capacity = param(P.keeperCapacity);
  let seizedForSale = 0.0;
  tickBadDebt = 0;
  const queued = queueLength;
  for (let q = 0; q < queued; q++) {
    if (capacity <= 0) break;
    const i = unchecked(queue[q]);
    const d = unchecked(debt[i]);
    const c = unchecked(collateral[i]);
    let repay = Math.min(closeFactor * d, capacity);
    if (d - repay < LOAN_DUST_USD) repay = d;
    let seized = (repay * (1.0 + bonus)) / oracle;
    if (seized >= c) {
      // The collateral no longer covers the debt: take it all; what it cannot repay is bad debt.
      seized = c;
      const covered = Math.min(repay, (seized * oracle) / (1.0 + bonus));
      tickBadDebt += d - covered;
      repay = d;
      capacity -= covered;
      if (events.uniform() < failure) tickBadDebt += covered;
      else seizedForSale += seized;
    } else {
      capacity -= repay;
      if (events.uniform() < failure) tickBadDebt += repay;
      else seizedForSale += seized;
    }
    const d1 = d - repay;
    const c1 = c - seized;
    unchecked(debt[i] = d1);
    unchecked(collateral[i] = c1);
    if (d1 <= 0 || c1 <= 0) {
      unchecked(state[i] = CLOSED);
    } else if ((c1 * oracle * threshold) / d1 >= 1.0) {
      unchecked(state[i] = REARMED);
      unchecked(liqPrice[i] = d1 / (c1 * threshold));
      unchecked(rearmed[rearmedLength++] = i);
    }
  }
  let length = 0;
  for (let q = 0; q < queueLength; q++) {
    const i = unchecked(queue[q]);
    if (unchecked(state[i]) == QUEUED) unchecked(queue[length++] = i);
  }
  queueLength = length;

  const k = pool.asset * pool.usd;
  const before = pool.usd;
  pool.asset += seizedForSale;
  pool.usd = k / pool.asset;
  tickSoldUsd = before - pool.usd;
}

/**
 * Collateral (USD, valued at its liquidation price) of the loans not yet queued, by
 * liquidation-price bucket of the n+1 edges at the start of `buf`, written to buf[3n+1 …] (after
 * the perps' longs and shorts). Called by the page a few times a second.
 */
export function lendingMapInto(buf: StaticArray<f64>, n: i32): void {
  for (let b = 0; b < n; b++) unchecked(buf[3 * n + 1 + b] = 0);
  for (let i = 0; i < count; i++) {
    const s = unchecked(state[i]);
    if (s == QUEUED || s == CLOSED) continue;
    const x = unchecked(liqPrice[i]);
    const b = mapBucket(buf, n, x);
    if (b >= 0) unchecked(buf[3 * n + 1 + b] += unchecked(collateral[i]) * x);
  }
}
