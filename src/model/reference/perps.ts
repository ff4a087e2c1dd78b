/**
 * Leveraged perp accounts, their liquidation queue, margin calls under dynamic margin, and
 * settlement on a DEX (bots, bonus, bad debt) or a CEX (insurance fund, auto-deleveraging).
 * The twin of assembly/perps.ts, which keeps accounts ordered by liquidation price and moves
 * cursors; here every account carries its state and every tick scans them all.
 */
import { MODEL, lognormalFactor, optionIndex, type EngineParams } from '../constants.ts';
import type { Rng } from '../rng.ts';

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

/** A fill of the current tick, settled once the tick's price is known. */
interface Fill {
  account: Account;
  qty: number;
}

/** Price at which maintenance margin is breached: long (1 − 1/L)/(1 − m)·entry, short (1 + 1/L)/(1 + m)·entry. */
function liquidationPriceOf(isLong: boolean, entry: number, leverage: number, maintMargin: number): number {
  return isLong ? (entry * (1 - 1 / leverage)) / (1 - maintMargin) : (entry * (1 + 1 / leverage)) / (1 + maintMargin);
}

/** Each side in its own order (longs: highest liquidation price first; shorts: lowest first), longs before shorts. */
function liquidationOrder(x: Account, y: Account): number {
  return x.isLong !== y.isLong ? (x.isLong ? -1 : 1) : (x.isLong ? y.liqPrice - x.liqPrice : x.liqPrice - y.liqPrice) || x.index - y.index;
}

export class Perps {
  /** The insurance fund (CEX). */
  fund = 0;
  /** Per-tick results, read by the engine after `settle`. */
  tickLiqLong = 0;
  tickLiqShort = 0;
  tickAdl = 0;
  tickAccounts = 0;
  /** Net quantity margin-called accounts sold this tick (units, + sells): the negative of `deleverage`'s flow. */
  tickDeleverage = 0;
  tickMargin = 0;
  tickCounterparty = 0;
  tickBonus = 0;
  tickReturned = 0;
  tickFundIn = 0;
  tickFundPaid = 0;
  tickBadDebt = 0;
  private accounts: Account[] = [];
  /** The liquidation queues, next to execute first. */
  private longQueue: Account[] = [];
  private shortQueue: Account[] = [];
  private fills: Fill[] = [];
  /** The tick's fills are auto-deleveraged (a CEX whose insurance fund is empty). */
  private fillsAdl = false;
  /** What the throttle leaves this tick after liquidations (units), for margin-call deleveraging. */
  private throttleLeft = 0;
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
  }

  /** Draw every account. */
  initPerps(rng: Rng): void {
    const p = this.p;
    this.fund = p.insuranceFund;
    this.accounts = [];
    const notionalPerAccount = p.accounts > 0 ? p.perpOI / p.accounts : 0;
    for (let a = 0; a < p.accounts; a++) {
      const isLong = rng.uniform() < p.longShare;
      const notional = notionalPerAccount * lognormalFactor(MODEL.NOTIONAL_SIGMA, rng.normal());
      const leverage = Math.min(MODEL.MAX_LEVERAGE, Math.max(1, p.leverage * lognormalFactor(MODEL.LEVERAGE_SIGMA, rng.normal())));
      // An account whose liquidation price the start price has already crossed would have been
      // liquidated before the run: redraw its entry (a bounded number of times, then enter at spot).
      let entry = p.price0;
      for (let attempt = 0; attempt < MODEL.ENTRY_ATTEMPTS; attempt++) {
        const candidate = p.price0 * Math.exp(p.entrySpread * rng.normal());
        const liq = liquidationPriceOf(isLong, candidate, leverage, p.maintMargin);
        if (isLong ? liq < p.price0 : liq > p.price0) {
          entry = candidate;
          break;
        }
      }
      const qty = notional / entry;
      this.accounts.push({
        index: a, isLong, qty, entry, leverage,
        liqPrice: liquidationPriceOf(isLong, entry, leverage, p.maintMargin),
        bankruptcy: isLong ? entry * (1 - 1 / leverage) : entry * (1 + 1 / leverage),
        remaining: qty, state: 'open',
      });
    }
    this.longQueue = [];
    this.shortQueue = [];
  }

  /**
   * Queue every account whose liquidation price the oracle crossed; under a raised maintenance
   * margin, mark the accounts it now calls. Every tick.
   */
  trigger(oracle: number, maintMargin: number): void {
    const p = this.p;
    // Dynamic margin scales every liquidation price by the same factor, so the order is kept.
    const callLevel = (a: Account) => (a.isLong ? (a.liqPrice * (1 - p.maintMargin)) / (1 - maintMargin) : (a.liqPrice * (1 + p.maintMargin)) / (1 + maintMargin));
    const crossed = (a: Account, level: number) => (a.isLong ? level >= oracle : level <= oracle);
    for (const a of this.accounts.filter((a) => (a.state === 'open' || a.state === 'margin-called') && crossed(a, a.liqPrice)).sort(liquidationOrder)) {
      a.state = 'queued';
      (a.isLong ? this.longQueue : this.shortQueue).push(a);
    }
    if (maintMargin > p.maintMargin) {
      for (const a of this.accounts) if (a.state === 'open' && crossed(a, callLevel(a))) a.state = 'margin-called';
    }
  }

  /**
   * Execute a share liqSpeed of each side's queue (within the throttle); returns the net flow on
   * the venue (asset units, + buys). On a CEX whose insurance fund is empty the fills are
   * auto-deleveraged instead: closed against profitable traders off the book. Every tick the
   * venue trades.
   */
  execute(S: number): number {
    const p = this.p;
    this.fills = [];
    this.tickAccounts = 0;
    this.fillsAdl = p.venue === optionIndex('venue', 'cex') && this.fund <= 0;
    let throttle = p.liqThrottle > 0 ? p.liqThrottle / S : Infinity;
    for (const queue of [this.longQueue, this.shortQueue]) {
      const wanted = p.liqSpeed * queue.reduce((s, a) => s + a.remaining, 0);
      let budget = Math.min(wanted, throttle);
      throttle -= budget;
      while (budget > 0 && queue.length > 0) {
        const a = queue[0];
        budget -= this.takeFrom(a, budget);
        if (a.remaining === 0) {
          queue.shift();
          a.state = 'closed';
          this.tickAccounts++;
        }
      }
    }
    this.throttleLeft = throttle;
    // Summed fill by fill, in execution order (assembly/perps.ts: buys − sells; the last bits may differ).
    return this.fills.reduce((flow, f) => flow + (this.fillsAdl ? 0 : f.account.isLong ? -f.qty : f.qty), 0);
  }

  /** No fills this tick (the venue is halted). */
  skipExecution(): void {
    this.fills = [];
    this.tickAccounts = 0;
    this.tickDeleverage = 0;
  }

  /** Fill up to `budget` of an account's remaining size (all of it when only dust would be left); returns the quantity filled. */
  private takeFrom(a: Account, budget: number): number {
    let take = Math.min(budget, a.remaining);
    if (a.remaining - take <= MODEL.DUST * a.qty) take = a.remaining;
    a.remaining -= take;
    this.fills.push({ account: a, qty: take });
    return take;
  }

  /**
   * Margin-called accounts reduce position and margin together, nearest to liquidation first,
   * within what the throttle leaves after `execute`: the risk engine caps all forced selling.
   * Returns the flow (units, + buys); `tickDeleverage` records it as net selling. Every tick the
   * venue trades.
   */
  deleverage(): number {
    // One running sum over both sides, longs (sells) first; assembly/perps.ts sums each side and
    // subtracts, so the last bits may differ (within the differential tests' tolerance).
    let flow = 0;
    for (const isLong of [true, false]) {
      const called = this.accounts.filter((a) => a.state === 'margin-called' && a.isLong === isLong).sort(liquidationOrder);
      let budget = Math.min(MODEL.DELEVERAGE_SPEED * called.reduce((s, a) => s + a.remaining, 0), this.throttleLeft);
      this.throttleLeft -= budget;
      for (const a of called) {
        if (budget <= 0) break;
        const take = Math.min(budget, a.remaining);
        a.remaining -= take;
        budget -= take;
        flow += isLong ? -take : take;
      }
    }
    this.tickDeleverage = -flow;
    return flow;
  }

  /**
   * Settle this tick's fills at the tick's price. Every dollar of a liquidated position's margin
   * goes somewhere: margin = counterparties + bonus + returned + fund in − fund paid − bad debt
   * (test/property/accounting.property.test.ts). Every tick.
   */
  settle(S: number): void {
    const p = this.p;
    const cex = p.venue === optionIndex('venue', 'cex');
    this.tickLiqLong = 0;
    this.tickLiqShort = 0;
    this.tickAdl = 0;
    this.tickMargin = 0;
    this.tickCounterparty = 0;
    this.tickBonus = 0;
    this.tickReturned = 0;
    this.tickFundIn = 0;
    this.tickFundPaid = 0;
    this.tickBadDebt = 0;
    for (const { account: a, qty } of this.fills) {
      const margin = (qty * a.entry) / a.leverage;
      // Auto-deleveraging closes the position against profitable traders at its bankruptcy price, off the book.
      const price = this.fillsAdl ? a.bankruptcy : S;
      const counterparty = a.isLong ? qty * (a.entry - price) : qty * (price - a.entry);
      const equity = margin - counterparty;
      this.tickMargin += margin;
      this.tickCounterparty += counterparty;
      if (this.fillsAdl) {
        this.tickAdl += qty * price;
        continue;
      }
      if (a.isLong) this.tickLiqLong += qty * price;
      else this.tickLiqShort += qty * price;
      const surplus = Math.max(equity, 0);
      const shortfall = Math.max(-equity, 0);
      if (cex) {
        const paid = Math.min(shortfall, this.fund + surplus);
        this.fund += surplus - paid;
        this.tickFundIn += surplus;
        this.tickFundPaid += paid;
        this.tickBadDebt += shortfall - paid;
      } else {
        const bonus = Math.min(p.liqBonus * qty * price, surplus);
        this.tickBonus += bonus;
        this.tickReturned += surplus - bonus;
        this.tickBadDebt += shortfall;
      }
    }
  }

  /** Quantity (asset units) waiting in both queues. */
  queued(): number {
    return [...this.longQueue, ...this.shortQueue].reduce((s, a) => s + a.remaining, 0);
  }

  /**
   * Notional (USD) of not-yet-queued accounts by liquidation-price bucket of `edges` (n+1
   * entries → n buckets), longs and shorts apart.
   */
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
}

/** The bucket of `edges` that holds x, or −1 outside them. */
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
