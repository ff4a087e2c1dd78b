// Leveraged perp accounts, their liquidation queue, margin calls under dynamic margin, and
// settlement on a DEX (bots, bonus, bad debt) or a CEX (insurance fund, auto-deleveraging).
//
// Accounts are kept ordered by the liquidation price they were drawn with — longs first,
// highest first; then shorts, lowest first — so a cursor per side advances past the accounts
// the oracle crossed and a tick touches only those. A crossed account joins its side's FIFO
// queue, which liquidators work at `liqSpeed`. An account that a margin call made deleverage
// (sell part of its position, keeping its margin) has a lower liquidation price than its place
// in the order says: when the cursor passes it, it is re-armed on a short list at its own
// price instead, and queued when the oracle reaches that.
import { P, LEVERAGE_SIGMA, LEVERAGE_SIZE_CORRELATION, MAX_LEVERAGE, NOTIONAL_SIGMA, DUST, DELEVERAGE_SPEED, MARGIN_TOP_UP, VENUE_CEX, QUIET_SIGMAS, QUIET_MIN_TICKS, MAX_QUIET_DISTANCE, lognormalFactor } from './layout';
import { param } from './params';
import { dtYears } from './clock';
import { Rng } from './rng';
import { sortByKey } from './radix';

const OPEN: u8 = 0;
const REARMED: u8 = 1;
const QUEUED: u8 = 2;
const CLOSED: u8 = 3;

let count: i32 = 0;
let longCount: i32 = 0;
/** Size at the draw (units), for the dust rule. */
let qty = new StaticArray<f64>(0);
let entry = new StaticArray<f64>(0);
/** Liquidation price at the draw: the order of the accounts. */
let sortKey = new StaticArray<f64>(0);
/** Liquidation and bankruptcy prices now (they move when a margin call deleverages the account). */
let liqPrice = new StaticArray<f64>(0);
let bankruptcy = new StaticArray<f64>(0);
/** Collateral (USD) backing the remaining position. */
let margin = new StaticArray<f64>(0);
let remaining = new StaticArray<f64>(0);
let state = new StaticArray<u8>(0);
/** Queue and re-armed list of each side: longs in [0, longCount), shorts in [longCount, count). */
let queue = new StaticArray<i32>(0);
let rearmed = new StaticArray<i32>(0);
/** Fills of the current tick, settled once the tick's price is known. */
let fillSlot = new StaticArray<i32>(0);
let fillQty = new StaticArray<f64>(0);
let fillMargin = new StaticArray<f64>(0);
let fills: i32 = 0;

// Per side: the cursor past the crossed accounts, the margin-call cursor, the queue's head and tail, the re-armed count.
let longNext: i32 = 0;
let longCalled: i32 = 0;
let longHead: i32 = 0;
let longTail: i32 = 0;
let longRearmed: i32 = 0;
let shortNext: i32 = 0;
let shortCalled: i32 = 0;
let shortHead: i32 = 0;
let shortTail: i32 = 0;
let shortRearmed: i32 = 0;

let baseMargin: f64 = 0;
/** Maintenance margin this tick (dynamic margin raises it). */
let maintNow: f64 = 0;
let liqSpeed: f64 = 0;
let liqBonus: f64 = 0;
let throttleUsd: f64 = 0;
/** What the throttle leaves this tick after liquidations (units), for margin-call deleveraging. */
let throttleLeft: f64 = 0;
let cex: bool = false;
export let fund: f64 = 0;

/** Per-tick results, read by the engine after `settle`. */
export let tickLiqLong: f64 = 0;
export let tickLiqShort: f64 = 0;
export let tickAdl: f64 = 0;
export let tickAccounts: i32 = 0;
export let tickDeleverage: f64 = 0;
/** Collateral margin-called accounts posted this tick (USD). */
export let tickPosted: f64 = 0;
export let tickMargin: f64 = 0;
export let tickCounterparty: f64 = 0;
export let tickBonus: f64 = 0;
export let tickReturned: f64 = 0;
export let tickFundIn: f64 = 0;
export let tickFundPaid: f64 = 0;
export let tickBadDebt: f64 = 0;

// The draws in draw order, before the accounts are ordered by liquidation price: scratch for
// `initPerps`, allocated with the accounts' own arrays (a new init of the same size allocates nothing).
let drawLong = new StaticArray<bool>(0);
let drawQty = new StaticArray<f64>(0);
let drawEntry = new StaticArray<f64>(0);
let drawLev = new StaticArray<f64>(0);
let drawLiq = new StaticArray<f64>(0);
let longs = new StaticArray<i32>(0);
let shorts = new StaticArray<i32>(0);

// @ts-ignore: decorator
@inline function liquidationPriceOf(isLong: bool, e: f64, lev: f64, m: f64): f64 {
  return isLong ? (e * (1.0 - 1.0 / lev)) / (1.0 - m) : (e * (1.0 + 1.0 / lev)) / (1.0 + m);
}

/** Entry at which an account of leverage lev has liquidation price liq. */
// @ts-ignore: decorator
@inline function entryFor(isLong: bool, liq: f64, lev: f64, m: f64): f64 {
  return isLong ? (liq * (1.0 - m)) / (1.0 - 1.0 / lev) : (liq * (1.0 + m)) / (1.0 + 1.0 / lev);
}

/**
 * How near the start price a liquidation price may lie: QUIET_SIGMAS standard deviations of the
 * baseline noise over the ticks before the shock (at least QUIET_MIN_TICKS), as a share of price.
 */
export function quietDistance(): f64 {
  const ticks = <f64>max(QUIET_MIN_TICKS, <i32>param(P.shockStart));
  return Math.min(MAX_QUIET_DISTANCE, QUIET_SIGMAS * param(P.vol0) * Math.sqrt(ticks * dtYears));
}

function ensureCapacity(n: i32): void {
  if (qty.length == n) return;
  qty = new StaticArray<f64>(n);
  entry = new StaticArray<f64>(n);
  sortKey = new StaticArray<f64>(n);
  liqPrice = new StaticArray<f64>(n);
  bankruptcy = new StaticArray<f64>(n);
  margin = new StaticArray<f64>(n);
  remaining = new StaticArray<f64>(n);
  state = new StaticArray<u8>(n);
  queue = new StaticArray<i32>(n);
  rearmed = new StaticArray<i32>(n);
  fillSlot = new StaticArray<i32>(n);
  fillQty = new StaticArray<f64>(n);
  fillMargin = new StaticArray<f64>(n);
  drawLong = new StaticArray<bool>(n);
  drawQty = new StaticArray<f64>(n);
  drawEntry = new StaticArray<f64>(n);
  drawLev = new StaticArray<f64>(n);
  drawLiq = new StaticArray<f64>(n);
  longs = new StaticArray<i32>(n);
  shorts = new StaticArray<i32>(n);
}

/** Draw every account and order them by liquidation price. Called by `init`. */
export function initPerps(rng: Rng): void {
  count = <i32>param(P.accounts);
  ensureCapacity(count);
  const S0 = param(P.price0);
  const longShare = param(P.longShare);
  const meanLeverage = param(P.leverage);
  const spread = param(P.entrySpread);
  const m = param(P.maintMargin);
  baseMargin = m;
  liqSpeed = param(P.liqSpeed);
  liqBonus = param(P.liqBonus);
  throttleUsd = param(P.liqThrottle);
  cex = <i32>param(P.venue) == VENUE_CEX;
  fund = param(P.insuranceFund);
  const notionalPerAccount = count > 0 ? param(P.perpOI) / <f64>count : 0.0;

  longCount = 0;
  const quiet = quietDistance();
  for (let a = 0; a < count; a++) {
    const isLong = rng.uniform() < longShare;
    // Large accounts use less leverage (exchanges' leverage brackets cap it by position size):
    // the leverage draw is correlated LEVERAGE_SIZE_CORRELATION with the size draw.
    const zSize = rng.normal();
    const notional = notionalPerAccount * lognormalFactor(NOTIONAL_SIGMA, zSize);
    const zLeverage = LEVERAGE_SIZE_CORRELATION * zSize + Math.sqrt(1.0 - LEVERAGE_SIZE_CORRELATION * LEVERAGE_SIZE_CORRELATION) * rng.normal();
    const lev = Math.min(MAX_LEVERAGE, Math.max(1.0, meanLeverage * lognormalFactor(LEVERAGE_SIGMA, zLeverage)));
    let e = S0 * Math.exp(spread * rng.normal());
    // Accounts that baseline noise would liquidate before the shock are gone already: one whose
    // liquidation price lies nearer the start price than the quiet distance is redrawn beyond
    // it, by an exponential amount with the entries' own dispersion as its mean (at most
    // MAX_QUIET_DISTANCE away). The draws do not depend on leverage, so every liquidation price
    // moves nearer the price as leverage rises: more leverage never means fewer liquidations.
    const nearest = Math.min(MAX_QUIET_DISTANCE, quiet - Math.max(spread, quiet) * Math.log(1.0 - rng.uniform()));
    const liq = liquidationPriceOf(isLong, e, lev, m);
    if (isLong ? liq > S0 * (1.0 - nearest) : liq < S0 * (1.0 + nearest)) e = entryFor(isLong, isLong ? S0 * (1.0 - nearest) : S0 * (1.0 + nearest), lev, m);
    unchecked(drawLong[a] = isLong);
    unchecked(drawQty[a] = notional / e);
    unchecked(drawEntry[a] = e);
    unchecked(drawLev[a] = lev);
    unchecked(drawLiq[a] = liquidationPriceOf(isLong, e, lev, m));
    if (isLong) longCount++;
  }

  let nl = 0;
  let ns = 0;
  for (let a = 0; a < count; a++) {
    if (unchecked(drawLong[a])) unchecked(longs[nl++] = a);
    else unchecked(shorts[ns++] = a);
  }
  // Longs by liquidation price down, shorts up; ties by draw index, as in the reference engine (a stable radix sort).
  sortByKey(longs, longCount, drawLiq, true);
  sortByKey(shorts, count - longCount, drawLiq, false);
  for (let i = 0; i < count; i++) {
    const isLong = i < longCount;
    const a = isLong ? unchecked(longs[i]) : unchecked(shorts[i - longCount]);
    const e = unchecked(drawEntry[a]);
    const lev = unchecked(drawLev[a]);
    const q = unchecked(drawQty[a]);
    unchecked(qty[i] = q);
    unchecked(entry[i] = e);
    unchecked(sortKey[i] = drawLiq[a]);
    unchecked(liqPrice[i] = drawLiq[a]);
    unchecked(bankruptcy[i] = isLong ? e * (1.0 - 1.0 / lev) : e * (1.0 + 1.0 / lev));
    unchecked(margin[i] = (q * e) / lev);
    unchecked(remaining[i] = q);
    unchecked(state[i] = OPEN);
  }

  longNext = 0;
  longCalled = 0;
  longHead = 0;
  longTail = 0;
  longRearmed = 0;
  shortNext = longCount;
  shortCalled = longCount;
  shortHead = longCount;
  shortTail = longCount;
  shortRearmed = 0;
}

/**
 * Queue every account whose liquidation price the oracle crossed (re-arming those a margin call
 * moved further away), and every re-armed account the oracle reached; note this tick's
 * maintenance margin and advance the margin-call cursors. Called every tick.
 */
export function trigger(oracle: f64, maintMargin: f64): void {
  maintNow = maintMargin;
  while (longNext < longCount && unchecked(sortKey[longNext]) >= oracle) {
    cross(longNext, oracle, true);
    longNext++;
  }
  while (shortNext < count && unchecked(sortKey[shortNext]) <= oracle) {
    cross(shortNext, oracle, false);
    shortNext++;
  }
  longRearmed = queueRearmed(0, longRearmed, oracle, true);
  shortRearmed = queueRearmed(longCount, shortRearmed, oracle, false);
  if (longCalled < longNext) longCalled = longNext;
  if (shortCalled < shortNext) shortCalled = shortNext;
  if (maintMargin > baseMargin) {
    // A raised margin scales every drawn liquidation price by one factor: the accounts it may call are the next ones in order.
    while (longCalled < longCount && (unchecked(sortKey[longCalled]) * (1.0 - baseMargin)) / (1.0 - maintMargin) >= oracle) longCalled++;
    while (shortCalled < count && (unchecked(sortKey[shortCalled]) * (1.0 + baseMargin)) / (1.0 + maintMargin) <= oracle) shortCalled++;
  }
}

/** The cursor passed account i: queue it if the oracle crossed its own liquidation price, or re-arm it. */
function cross(i: i32, oracle: f64, isLong: bool): void {
  const liq = unchecked(liqPrice[i]);
  if (isLong ? liq >= oracle : liq <= oracle) enqueue(i, isLong);
  else {
    unchecked(state[i] = REARMED);
    if (isLong) unchecked(rearmed[longRearmed++] = i);
    else unchecked(rearmed[longCount + shortRearmed++] = i);
  }
}

// @ts-ignore: decorator
@inline function enqueue(i: i32, isLong: bool): void {
  unchecked(state[i] = QUEUED);
  if (isLong) unchecked(queue[longTail++] = i);
  else unchecked(queue[shortTail++] = i);
}

/** Queue the re-armed accounts of one side the oracle reached; returns how many stay re-armed. */
function queueRearmed(base: i32, n: i32, oracle: f64, isLong: bool): i32 {
  let kept = 0;
  for (let r = 0; r < n; r++) {
    const i = unchecked(rearmed[base + r]);
    const liq = unchecked(liqPrice[i]);
    if (isLong ? liq >= oracle : liq <= oracle) enqueue(i, isLong);
    else unchecked(rearmed[base + kept++] = i);
  }
  return kept;
}

/**
 * Margin-called accounts — those whose equity at the oracle is below this tick's maintenance
 * margin — meet the call: they post new collateral for a share MARGIN_TOP_UP of the missing
 * equity (a call that comes before liquidation gives them the time to), and sell down the rest,
 * keeping their margin, at most DELEVERAGE_SPEED of the position a tick, all of them within what
 * the throttle leaves after `execute`; re-armed accounts first, then in order. Either way the
 * account's leverage falls and its liquidation price moves away. Returns the flow (units, + buys).
 * Called every tick the venue trades.
 */
export function deleverage(oracle: f64, S: f64): f64 {
  tickDeleverage = 0;
  tickPosted = 0;
  if (maintNow <= baseMargin) return 0;
  let flow = 0.0;
  for (let r = 0; r < longRearmed; r++) flow -= meetCall(unchecked(rearmed[r]), oracle, S, true);
  for (let i = longNext; i < longCalled; i++) flow -= meetCall(i, oracle, S, true);
  for (let r = 0; r < shortRearmed; r++) flow += meetCall(unchecked(rearmed[longCount + r]), oracle, S, false);
  for (let i = shortNext; i < shortCalled; i++) flow += meetCall(i, oracle, S, false);
  return flow;
}

/** Account i meets the raised margin if it is called; returns the units sold (long) or bought back (short). */
function meetCall(i: i32, oracle: f64, S: f64, isLong: bool): f64 {
  if (unchecked(state[i]) >= QUEUED) return 0;
  const q = unchecked(remaining[i]);
  const e = unchecked(entry[i]);
  let M = unchecked(margin[i]);
  const equity = isLong ? M + q * (oracle - e) : M + q * (e - oracle);
  const missing = maintNow * q * oracle - equity;
  if (equity <= 0 || missing <= 0) return 0;
  const posted = MARGIN_TOP_UP * missing;
  M += posted;
  const carried = (equity + posted) / (maintNow * oracle);
  const take = Math.max(0.0, Math.min(q - carried, Math.min(DELEVERAGE_SPEED * q, throttleLeft)));
  throttleLeft -= take;
  const q1 = q - take;
  // The part sold realizes its profit or loss into the margin that stays.
  M += isLong ? take * (S - e) : take * (e - S);
  unchecked(remaining[i] = q1);
  unchecked(margin[i] = M);
  const perUnit = M / q1;
  unchecked(bankruptcy[i] = isLong ? e - perUnit : e + perUnit);
  unchecked(liqPrice[i] = isLong ? (e - perUnit) / (1.0 - baseMargin) : (e + perUnit) / (1.0 + baseMargin));
  tickDeleverage += isLong ? take : -take;
  tickPosted += posted;
  return take;
}

/**
 * Execute a share liqSpeed of each side's queue (within the throttle) as market orders; returns
 * the net flow on the venue (asset units, + buys). Called every tick the venue trades.
 */
export function execute(S: f64): f64 {
  fills = 0;
  tickAccounts = 0;
  let throttle = throttleUsd > 0 ? throttleUsd / S : Infinity;
  let queuedLong = 0.0;
  for (let k = longHead; k < longTail; k++) queuedLong += unchecked(remaining[unchecked(queue[k])]);
  let budget = Math.min(liqSpeed * queuedLong, throttle);
  throttle -= budget;
  let sold = 0.0;
  while (budget > 0 && longHead < longTail) {
    const i = unchecked(queue[longHead]);
    const take = takeFrom(i, budget);
    budget -= take;
    sold += take;
    if (unchecked(remaining[i]) == 0) {
      unchecked(state[i] = CLOSED);
      longHead++;
      tickAccounts++;
    }
  }
  let queuedShort = 0.0;
  for (let k = shortHead; k < shortTail; k++) queuedShort += unchecked(remaining[unchecked(queue[k])]);
  budget = Math.min(liqSpeed * queuedShort, throttle);
  throttle -= budget;
  throttleLeft = throttle;
  let bought = 0.0;
  while (budget > 0 && shortHead < shortTail) {
    const i = unchecked(queue[shortHead]);
    const take = takeFrom(i, budget);
    budget -= take;
    bought += take;
    if (unchecked(remaining[i]) == 0) {
      unchecked(state[i] = CLOSED);
      shortHead++;
      tickAccounts++;
    }
  }
  return bought - sold;
}

/** No fills this tick, and no sales on margin calls (the venue is halted). */
export function skipExecution(): void {
  fills = 0;
  tickAccounts = 0;
  throttleLeft = 0;
}

/** Take up to `budget` units from account i's remaining position as a fill, with its share of the margin. */
// @ts-ignore: decorator
@inline function takeFrom(i: i32, budget: f64): f64 {
  const rem = unchecked(remaining[i]);
  let take = Math.min(budget, rem);
  if (rem - take <= DUST * unchecked(qty[i])) take = rem;
  const M = unchecked(margin[i]);
  const share = take == rem ? M : (M * take) / rem;
  unchecked(remaining[i] = rem - take);
  unchecked(margin[i] = M - share);
  unchecked(fillSlot[fills] = i);
  unchecked(fillQty[fills] = take);
  unchecked(fillMargin[fills] = share);
  fills++;
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
 * margin = counterparties + bonus + returned + fund in − fund paid − bad debt. Called every tick.
 */
export function settle(S: f64): void {
  tickLiqLong = 0;
  tickLiqShort = 0;
  tickAdl = 0;
  tickMargin = 0;
  tickCounterparty = 0;
  tickBonus = 0;
  tickReturned = 0;
  tickFundIn = 0;
  tickFundPaid = 0;
  tickBadDebt = 0;
  for (let f = 0; f < fills; f++) {
    const i = unchecked(fillSlot[f]);
    const q = unchecked(fillQty[f]);
    const fillM = unchecked(fillMargin[f]);
    const e = unchecked(entry[i]);
    const isLong = i < longCount;
    const counterparty = isLong ? q * (e - S) : q * (S - e);
    const equity = fillM - counterparty;
    tickMargin += fillM;
    const surplus = Math.max(equity, 0.0);
    const shortfall = Math.max(-equity, 0.0);
    if (cex) {
      const paid = Math.min(shortfall, fund + surplus);
      // The share of the fill the fund cannot cover is auto-deleveraged.
      const adlShare = shortfall > 0 ? (shortfall - paid) / shortfall : 0.0;
      const booked = q * (1.0 - adlShare);
      const b = isLong ? e - fillM / q : e + fillM / q;
      fund += surplus - paid;
      tickFundIn += surplus;
      tickFundPaid += paid;
      tickAdl += q * adlShare * b;
      tickCounterparty += counterparty * (1.0 - adlShare) + fillM * adlShare;
      if (isLong) tickLiqLong += booked * S;
      else tickLiqShort += booked * S;
    } else {
      const bonus = Math.min(liqBonus * q * S, surplus);
      tickCounterparty += counterparty;
      tickBonus += bonus;
      tickReturned += surplus - bonus;
      tickBadDebt += shortfall;
      if (isLong) tickLiqLong += q * S;
      else tickLiqShort += q * S;
    }
  }
}

/** Quantity (asset units) waiting in both queues. */
export function queued(): f64 {
  let total = 0.0;
  for (let k = longHead; k < longTail; k++) total += unchecked(remaining[unchecked(queue[k])]);
  for (let k = shortHead; k < shortTail; k++) total += unchecked(remaining[unchecked(queue[k])]);
  return total;
}

/**
 * Notional of not-yet-queued accounts by liquidation-price bucket. `edges` has n+1 entries;
 * longs go to out[n+1 …], shorts to out[2n+1 …] of the same buffer. Called by the page a few
 * times a second.
 */
export function liquidationMapInto(buf: StaticArray<f64>, n: i32): void {
  for (let b = 0; b < 2 * n; b++) unchecked(buf[n + 1 + b] = 0);
  for (let i = 0; i < count; i++) {
    if (unchecked(state[i]) >= QUEUED) continue;
    addToMap(buf, n, i, i < longCount ? n + 1 : 2 * n + 1);
  }
}

// @ts-ignore: decorator
@inline function addToMap(buf: StaticArray<f64>, n: i32, i: i32, offset: i32): void {
  const x = unchecked(liqPrice[i]);
  const b = mapBucket(buf, n, x);
  if (b >= 0) unchecked(buf[offset + b] += unchecked(remaining[i]) * x);
}

/** The bucket of the n+1 edges at the start of `buf` that holds x, or −1 outside them (the lending map's too). */
// @ts-ignore: decorator
@inline export function mapBucket(buf: StaticArray<f64>, n: i32, x: f64): i32 {
  // `!(x >= …)` so a NaN (the liquidation price of a loan with no debt and no collateral) lies in no bucket.
  if (n <= 0 || !(x >= unchecked(buf[0])) || x >= unchecked(buf[n])) return -1;
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (unchecked(buf[mid]) <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}
