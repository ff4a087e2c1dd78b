/**
 * Leveraged perp accounts, their liquidation queue, margin calls under dynamic margin, and
 * settlement on a DEX (bots, bonus, bad debt) or a CEX (insurance fund, auto-deleveraging).
 * The twin of assembly/perps.ts, which moves cursors over accounts ordered by their drawn
 * liquidation price; here every account carries its state and every tick scans them all, in
 * the same order.
 *
 * A crossed account joins its side's FIFO queue, which liquidators work at `liqSpeed`. An
 * account that a margin call made deleverage has a lower liquidation price than its drawn one:
 * when the oracle crosses the drawn price it is re-armed on a list at its own price instead, and
 * queued when the oracle reaches that.
 */
import { MODEL, clockOf, lognormalFactor, optionIndex, type EngineParams } from '../constants.ts';
import type { Rng } from '../rng.ts';

interface Account {
  index: number;
  isLong: boolean;
  /** Size at the draw (units), for the dust rule. */
  qty: number;
  entry: number;
  /** Liquidation price at the draw: the order of the accounts. */
  sortKey: number;
  /** Liquidation and bankruptcy prices now (they move when a margin call deleverages the account). */
  liqPrice: number;
  bankruptcy: number;
  /** Collateral (USD) backing the remaining position. */
  margin: number;
  remaining: number;
  state: 'open' | 'rearmed' | 'queued' | 'closed';
  /** A raised margin has reached the account's drawn order (it may be margin-called from now on). */
  callable: boolean;
}

/** A fill of the current tick, settled once the tick's price is known. */
interface Fill {
  account: Account;
  qty: number;
  margin: number;
}

/** Price at which maintenance margin is breached: long (1 − 1/L)/(1 − m)·entry, short (1 + 1/L)/(1 + m)·entry. */
function liquidationPriceOf(isLong: boolean, entry: number, leverage: number, maintMargin: number): number {
  return isLong ? (entry * (1 - 1 / leverage)) / (1 - maintMargin) : (entry * (1 + 1 / leverage)) / (1 + maintMargin);
}

/** Entry at which an account of leverage lev has liquidation price liq. */
function entryFor(isLong: boolean, liq: number, leverage: number, maintMargin: number): number {
  return isLong ? (liq * (1 - maintMargin)) / (1 - 1 / leverage) : (liq * (1 + maintMargin)) / (1 + 1 / leverage);
}

/** Each side in its own order (longs: highest drawn liquidation price first; shorts: lowest first), longs before shorts. */
function liquidationOrder(x: Account, y: Account): number {
  return x.isLong !== y.isLong
    ? x.isLong
      ? -1
      : 1
    : (x.isLong ? y.sortKey - x.sortKey : x.sortKey - y.sortKey) || x.index - y.index;
}

/**
 * How near the start price a liquidation price may lie: QUIET_SIGMAS standard deviations of the
 * baseline noise over the ticks before the shock (at least QUIET_MIN_TICKS), as a share of price.
 */
export function quietDistance(p: EngineParams): number {
  const ticks = Math.max(MODEL.QUIET_MIN_TICKS, p.shockStart);
  return Math.min(MODEL.MAX_QUIET_DISTANCE, MODEL.QUIET_SIGMAS * p.vol0 * Math.sqrt(ticks * clockOf(p.clock).dtYears));
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
  /** Collateral margin-called accounts posted this tick (USD). */
  tickPosted = 0;
  tickMargin = 0;
  tickCounterparty = 0;
  tickBonus = 0;
  tickReturned = 0;
  tickFundIn = 0;
  tickFundPaid = 0;
  tickBadDebt = 0;
  /** Every account, longs then shorts, each side in liquidation order. */
  private accounts: Account[] = [];
  /** The liquidation queues, next to execute first, and the re-armed lists. */
  private longQueue: Account[] = [];
  private shortQueue: Account[] = [];
  private longRearmed: Account[] = [];
  private shortRearmed: Account[] = [];
  private fills: Fill[] = [];
  /** Maintenance margin this tick (dynamic margin raises it). */
  private maintNow = 0;
  /** What the throttle leaves this tick after liquidations (units), for margin-call deleveraging. */
  private throttleLeft = 0;
  private readonly p: EngineParams;

  constructor(p: EngineParams) {
    this.p = p;
  }

  /** Draw every account and order them by liquidation price. */
  initPerps(rng: Rng): void {
    const p = this.p;
    const S0 = p.price0;
    const m = p.maintMargin;
    const corr = MODEL.LEVERAGE_SIZE_CORRELATION;
    this.fund = p.insuranceFund;
    const drawn: Account[] = [];
    const notionalPerAccount = p.accounts > 0 ? p.perpOI / p.accounts : 0;
    const quiet = quietDistance(p);
    for (let a = 0; a < p.accounts; a++) {
      const isLong = rng.uniform() < p.longShare;
      // Large accounts use less leverage (exchanges' leverage brackets cap it by position size):
      // the leverage draw is correlated LEVERAGE_SIZE_CORRELATION with the size draw.
      const zSize = rng.normal();
      const notional = notionalPerAccount * lognormalFactor(MODEL.NOTIONAL_SIGMA, zSize);
      const zLeverage = corr * zSize + Math.sqrt(1 - corr * corr) * rng.normal();
      const leverage = Math.min(
        MODEL.MAX_LEVERAGE,
        Math.max(1, p.leverage * lognormalFactor(MODEL.LEVERAGE_SIGMA, zLeverage)),
      );
      let entry = S0 * Math.exp(p.entrySpread * rng.normal());
      // Accounts that baseline noise would liquidate before the shock are gone already: one whose
      // liquidation price lies nearer the start price than the quiet distance is redrawn beyond
      // it, by an exponential amount with the entries' own dispersion as its mean (at most
      // MAX_QUIET_DISTANCE away).
      const nearest = Math.min(
        MODEL.MAX_QUIET_DISTANCE,
        quiet - Math.max(p.entrySpread, quiet) * Math.log(1 - rng.uniform()),
      );
      const liq = liquidationPriceOf(isLong, entry, leverage, m);
      if (isLong ? liq > S0 * (1 - nearest) : liq < S0 * (1 + nearest))
        entry = entryFor(isLong, isLong ? S0 * (1 - nearest) : S0 * (1 + nearest), leverage, m);
      const qty = notional / entry;
      const liqPrice = liquidationPriceOf(isLong, entry, leverage, m);
      drawn.push({
        index: a,
        isLong,
        qty,
        entry,
        sortKey: liqPrice,
        liqPrice,
        bankruptcy: isLong ? entry * (1 - 1 / leverage) : entry * (1 + 1 / leverage),
        margin: (qty * entry) / leverage,
        remaining: qty,
        state: 'open',
        callable: false,
      });
    }
    this.accounts = drawn.sort(liquidationOrder);
    this.longQueue = [];
    this.shortQueue = [];
    this.longRearmed = [];
    this.shortRearmed = [];
  }

  /**
   * Queue every account whose liquidation price the oracle crossed (re-arming those a margin call
   * moved further away), and every re-armed account the oracle reached; note this tick's
   * maintenance margin and which accounts a raised margin has reached. Every tick.
   */
  trigger(oracle: number, maintMargin: number): void {
    const p = this.p;
    this.maintNow = maintMargin;
    const crossed = (a: Account, level: number) => (a.isLong ? level >= oracle : level <= oracle);
    for (const a of this.accounts) {
      if (a.state !== 'open' || !crossed(a, a.sortKey)) continue;
      if (crossed(a, a.liqPrice)) this.enqueue(a);
      else {
        a.state = 'rearmed';
        (a.isLong ? this.longRearmed : this.shortRearmed).push(a);
      }
    }
    for (const list of [this.longRearmed, this.shortRearmed]) {
      for (const a of list) if (crossed(a, a.liqPrice)) this.enqueue(a);
    }
    this.longRearmed = this.longRearmed.filter((a) => a.state === 'rearmed');
    this.shortRearmed = this.shortRearmed.filter((a) => a.state === 'rearmed');
    if (maintMargin > p.maintMargin) {
      // A raised margin scales every drawn liquidation price by one factor.
      const callLevel = (a: Account) =>
        a.isLong
          ? (a.sortKey * (1 - p.maintMargin)) / (1 - maintMargin)
          : (a.sortKey * (1 + p.maintMargin)) / (1 + maintMargin);
      for (const a of this.accounts) if (a.state === 'open' && crossed(a, callLevel(a))) a.callable = true;
    }
  }

  private enqueue(a: Account): void {
    a.state = 'queued';
    (a.isLong ? this.longQueue : this.shortQueue).push(a);
  }

  /**
   * Execute a share liqSpeed of each side's queue (within the throttle) as market orders; returns
   * the net flow on the venue (asset units, + buys). Every tick the venue trades.
   */
  execute(S: number): number {
    const p = this.p;
    this.fills = [];
    this.tickAccounts = 0;
    let throttle = p.liqThrottle > 0 ? p.liqThrottle / S : Infinity;
    const filled = [0, 0];
    [this.longQueue, this.shortQueue].forEach((queue, side) => {
      let budget = Math.min(p.liqSpeed * queue.reduce((s, a) => s + a.remaining, 0), throttle);
      throttle -= budget;
      while (budget > 0 && queue.length > 0) {
        const a = queue[0];
        const take = this.takeFrom(a, budget);
        budget -= take;
        filled[side] += take;
        if (a.remaining === 0) {
          queue.shift();
          a.state = 'closed';
          this.tickAccounts++;
        }
      }
    });
    this.throttleLeft = throttle;
    const [sold, bought] = filled;
    return bought - sold;
  }

  /** No fills this tick, and no sales on margin calls (the venue is halted). */
  skipExecution(): void {
    this.fills = [];
    this.tickAccounts = 0;
    this.throttleLeft = 0;
  }

  /** Fill up to `budget` of an account's remaining size (all of it when only dust would be left), with its share of the margin; returns the quantity filled. */
  private takeFrom(a: Account, budget: number): number {
    const rem = a.remaining;
    let take = Math.min(budget, rem);
    if (rem - take <= MODEL.DUST * a.qty) take = rem;
    const share = take === rem ? a.margin : (a.margin * take) / rem;
    a.remaining = rem - take;
    a.margin -= share;
    this.fills.push({ account: a, qty: take, margin: share });
    return take;
  }

  /**
   * Margin-called accounts — those whose equity at the oracle is below this tick's maintenance
   * margin — meet the call: they post new collateral for a share MARGIN_TOP_UP of the missing
   * equity (a call that comes before liquidation gives them the time to), and sell down the rest,
   * keeping their margin, at most DELEVERAGE_SPEED of the position a tick, all of them within what
   * the throttle leaves after `execute`; re-armed accounts first, then in order. Either way the
   * account's leverage falls and its liquidation price moves away. Returns the flow (units, + buys).
   * Every tick the venue trades.
   */
  deleverage(oracle: number, S: number): number {
    this.tickDeleverage = 0;
    this.tickPosted = 0;
    if (this.maintNow <= this.p.maintMargin) return 0;
    let flow = 0;
    for (const isLong of [true, false]) {
      const rearmed = isLong ? this.longRearmed : this.shortRearmed;
      const inOrder = this.accounts.filter((a) => a.isLong === isLong && a.state === 'open' && a.callable);
      for (const a of [...rearmed, ...inOrder]) {
        const take = this.meetCall(a, oracle, S);
        flow += isLong ? -take : take;
      }
    }
    return flow;
  }

  /** The account meets the raised margin if it is called; returns the units sold (long) or bought back (short). */
  private meetCall(a: Account, oracle: number, S: number): number {
    const maint = this.maintNow;
    const q = a.remaining;
    const e = a.entry;
    let M = a.margin;
    const equity = a.isLong ? M + q * (oracle - e) : M + q * (e - oracle);
    const missing = maint * q * oracle - equity;
    if (equity <= 0 || missing <= 0) return 0;
    const posted = MODEL.MARGIN_TOP_UP * missing;
    M += posted;
    const carried = (equity + posted) / (maint * oracle);
    const take = Math.max(0, Math.min(q - carried, Math.min(MODEL.DELEVERAGE_SPEED * q, this.throttleLeft)));
    this.throttleLeft -= take;
    const q1 = q - take;
    // The part sold realizes its profit or loss into the margin that stays.
    M += a.isLong ? take * (S - e) : take * (e - S);
    a.remaining = q1;
    a.margin = M;
    const perUnit = M / q1;
    a.bankruptcy = a.isLong ? e - perUnit : e + perUnit;
    a.liqPrice = a.isLong ? (e - perUnit) / (1 - this.p.maintMargin) : (e + perUnit) / (1 + this.p.maintMargin);
    this.tickDeleverage += a.isLong ? take : -take;
    this.tickPosted += posted;
    return take;
  }

  /**
   * Settle this tick's fills at the tick's price. On a DEX the liquidator takes its bonus out of
   * what equity is left, the rest goes back to the trader, and a shortfall is bad debt. On a CEX
   * the insurance fund takes what equity is left and pays shortfalls; the part of a fill whose
   * shortfall the fund cannot pay is auto-deleveraged: closed against profitable traders at the
   * bankruptcy price, so it leaves no shortfall. (The ADL'd traders' positions were mostly hedges,
   * which they put back on the venue at once: the venue sees the same flow either way.) Every
   * dollar of a liquidated position's margin goes somewhere:
   * margin = counterparties + bonus + returned + fund in − fund paid − bad debt
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
    for (const { account: a, qty: q, margin } of this.fills) {
      const e = a.entry;
      const counterparty = a.isLong ? q * (e - S) : q * (S - e);
      const equity = margin - counterparty;
      this.tickMargin += margin;
      const surplus = Math.max(equity, 0);
      const shortfall = Math.max(-equity, 0);
      if (cex) {
        const paid = Math.min(shortfall, this.fund + surplus);
        // The share of the fill the fund cannot cover is auto-deleveraged.
        const adlShare = shortfall > 0 ? (shortfall - paid) / shortfall : 0;
        const booked = q * (1 - adlShare);
        const b = a.isLong ? e - margin / q : e + margin / q;
        this.fund += surplus - paid;
        this.tickFundIn += surplus;
        this.tickFundPaid += paid;
        this.tickAdl += q * adlShare * b;
        this.tickCounterparty += counterparty * (1 - adlShare) + margin * adlShare;
        if (a.isLong) this.tickLiqLong += booked * S;
        else this.tickLiqShort += booked * S;
      } else {
        const bonus = Math.min(p.liqBonus * q * S, surplus);
        this.tickCounterparty += counterparty;
        this.tickBonus += bonus;
        this.tickReturned += surplus - bonus;
        this.tickBadDebt += shortfall;
        if (a.isLong) this.tickLiqLong += q * S;
        else this.tickLiqShort += q * S;
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

/** The bucket of `edges` that holds x, or −1 outside them (the lending map's too). */
export function bucketOf(edges: Float64Array, x: number): number {
  const n = edges.length - 1;
  // `!(x >= …)` so a NaN (the liquidation price of a loan with no debt and no collateral) lies in no bucket.
  if (n <= 0 || !(x >= edges[0]) || x >= edges[n]) return -1;
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}
