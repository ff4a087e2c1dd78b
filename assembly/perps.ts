// Leveraged perp accounts and their liquidation queue.
//
// Accounts are kept ordered by liquidation price — longs first, highest liquidation price
// first; then shorts, lowest first — so the set ever triggered is a prefix of each side and a
// tick touches only the accounts the oracle crossed: a cursor advances past newly crossed
// accounts, and the queue is the range between the head (next to execute) and that cursor.
import { P, ENTRY_ATTEMPTS, LEVERAGE_SIGMA, MAX_LEVERAGE, NOTIONAL_SIGMA, DUST } from './layout';
import { param } from './params';
import { Rng } from './rng';

let count: i32 = 0;
let longCount: i32 = 0;
let qty = new StaticArray<f64>(0);
let entry = new StaticArray<f64>(0);
let leverage = new StaticArray<f64>(0);
let liqPrice = new StaticArray<f64>(0);
let remaining = new StaticArray<f64>(0);
/** Fills of the current tick, settled once the tick's price is known. */
let fillSlot = new StaticArray<i32>(0);
let fillQty = new StaticArray<f64>(0);
let fills: i32 = 0;

let longNext: i32 = 0;
let longHead: i32 = 0;
let longQueued: f64 = 0;
let shortNext: i32 = 0;
let shortHead: i32 = 0;
let shortQueued: f64 = 0;

let liqSpeed: f64 = 0;
let liqBonus: f64 = 0;

/** Per-tick results, read by the engine after `settle`. */
export let tickLiqLong: f64 = 0;
export let tickLiqShort: f64 = 0;
export let tickAccounts: i32 = 0;
export let tickBadDebt: f64 = 0;
export let tickBonus: f64 = 0;

// Draw-order scratch for sorting (module globals so the sort comparator can read them).
let drawLiq = new StaticArray<f64>(0);

// @ts-ignore: decorator
@inline function liquidationPriceOf(isLong: bool, e: f64, lev: f64, m: f64): f64 {
  return isLong ? (e * (1.0 - 1.0 / lev)) / (1.0 - m) : (e * (1.0 + 1.0 / lev)) / (1.0 + m);
}

function ensureCapacity(n: i32): void {
  if (qty.length == n) return;
  qty = new StaticArray<f64>(n);
  entry = new StaticArray<f64>(n);
  leverage = new StaticArray<f64>(n);
  liqPrice = new StaticArray<f64>(n);
  remaining = new StaticArray<f64>(n);
  fillSlot = new StaticArray<i32>(n);
  fillQty = new StaticArray<f64>(n);
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
  liqSpeed = param(P.liqSpeed);
  liqBonus = param(P.liqBonus);
  const notionalPerAccount = count > 0 ? param(P.perpOI) / <f64>count : 0.0;
  const notionalShift = (NOTIONAL_SIGMA * NOTIONAL_SIGMA) / 2;
  const leverageShift = (LEVERAGE_SIGMA * LEVERAGE_SIGMA) / 2;

  const drawLong = new StaticArray<bool>(count);
  const drawQty = new StaticArray<f64>(count);
  const drawEntry = new StaticArray<f64>(count);
  const drawLev = new StaticArray<f64>(count);
  drawLiq = new StaticArray<f64>(count);
  longCount = 0;
  for (let a = 0; a < count; a++) {
    const isLong = rng.uniform() < longShare;
    const notional = notionalPerAccount * Math.exp(NOTIONAL_SIGMA * rng.normal() - notionalShift);
    const lev = Math.min(MAX_LEVERAGE, Math.max(1.0, meanLeverage * Math.exp(LEVERAGE_SIGMA * rng.normal() - leverageShift)));
    // An account the start price has already crossed would have been liquidated before the run.
    let e = S0;
    for (let attempt = 0; attempt < ENTRY_ATTEMPTS; attempt++) {
      const candidate = S0 * Math.exp(spread * rng.normal());
      const liq = liquidationPriceOf(isLong, candidate, lev, m);
      if (isLong ? liq < S0 : liq > S0) {
        e = candidate;
        break;
      }
    }
    unchecked(drawLong[a] = isLong);
    unchecked(drawQty[a] = notional / e);
    unchecked(drawEntry[a] = e);
    unchecked(drawLev[a] = lev);
    unchecked(drawLiq[a] = liquidationPriceOf(isLong, e, lev, m));
    if (isLong) longCount++;
  }

  const longs = new StaticArray<i32>(longCount);
  const shorts = new StaticArray<i32>(count - longCount);
  let nl = 0;
  let ns = 0;
  for (let a = 0; a < count; a++) {
    if (unchecked(drawLong[a])) unchecked(longs[nl++] = a);
    else unchecked(shorts[ns++] = a);
  }
  // Ties broken by draw index, as in the reference engine.
  longs.sort((x: i32, y: i32): i32 => {
    const lx = unchecked(drawLiq[x]);
    const ly = unchecked(drawLiq[y]);
    return ly > lx ? 1 : ly < lx ? -1 : x - y;
  });
  shorts.sort((x: i32, y: i32): i32 => {
    const lx = unchecked(drawLiq[x]);
    const ly = unchecked(drawLiq[y]);
    return lx > ly ? 1 : lx < ly ? -1 : x - y;
  });
  for (let i = 0; i < count; i++) {
    const a = i < longCount ? unchecked(longs[i]) : unchecked(shorts[i - longCount]);
    unchecked(qty[i] = drawQty[a]);
    unchecked(entry[i] = drawEntry[a]);
    unchecked(leverage[i] = drawLev[a]);
    unchecked(liqPrice[i] = drawLiq[a]);
    unchecked(remaining[i] = drawQty[a]);
  }
  drawLiq = new StaticArray<f64>(0);

  longNext = 0;
  longHead = 0;
  longQueued = 0;
  shortNext = longCount;
  shortHead = longCount;
  shortQueued = 0;
}

/** Queue every account whose liquidation price the oracle crossed. Called every tick. */
export function trigger(oracle: f64): void {
  while (longNext < longCount && unchecked(liqPrice[longNext]) >= oracle) {
    longQueued += unchecked(remaining[longNext]);
    longNext++;
  }
  while (shortNext < count && unchecked(liqPrice[shortNext]) <= oracle) {
    shortQueued += unchecked(remaining[shortNext]);
    shortNext++;
  }
}

/** Execute a share liqSpeed of each side's queue; returns the net flow (asset units, + buys). Called every tick. */
export function execute(): f64 {
  fills = 0;
  tickAccounts = 0;
  let budget = liqSpeed * longQueued;
  let sold = 0.0;
  while (budget > 0 && longHead < longNext) {
    const take = takeFrom(longHead, budget);
    budget -= take;
    longQueued -= take;
    sold += take;
    if (unchecked(remaining[longHead]) == 0) {
      longHead++;
      tickAccounts++;
    }
  }
  if (longHead == longNext) longQueued = 0;
  budget = liqSpeed * shortQueued;
  let bought = 0.0;
  while (budget > 0 && shortHead < shortNext) {
    const take = takeFrom(shortHead, budget);
    budget -= take;
    shortQueued -= take;
    bought += take;
    if (unchecked(remaining[shortHead]) == 0) {
      shortHead++;
      tickAccounts++;
    }
  }
  if (shortHead == shortNext) shortQueued = 0;
  return bought - sold;
}

// @ts-ignore: decorator
@inline function takeFrom(i: i32, budget: f64): f64 {
  const rem = unchecked(remaining[i]);
  let take = Math.min(budget, rem);
  if (rem - take <= DUST * unchecked(qty[i])) take = rem;
  unchecked(remaining[i] = rem - take);
  unchecked(fillSlot[fills] = i);
  unchecked(fillQty[fills] = take);
  fills++;
  return take;
}

/** Settle this tick's fills at the tick's price: notional, liquidator bonus, bad debt. Called every tick. */
export function settle(S: f64): void {
  tickLiqLong = 0;
  tickLiqShort = 0;
  tickBadDebt = 0;
  tickBonus = 0;
  for (let f = 0; f < fills; f++) {
    const i = unchecked(fillSlot[f]);
    const q = unchecked(fillQty[f]);
    const e = unchecked(entry[i]);
    const isLong = i < longCount;
    const notional = q * S;
    const margin = (q * e) / unchecked(leverage[i]);
    const equity = margin + (isLong ? q * (S - e) : q * (e - S));
    tickBonus += Math.min(liqBonus * notional, Math.max(equity, 0.0));
    tickBadDebt += Math.max(-equity, 0.0);
    if (isLong) tickLiqLong += notional;
    else tickLiqShort += notional;
  }
}

/** Quantity (asset units) waiting in both queues. */
export function queued(): f64 {
  return longQueued + shortQueued;
}

/**
 * Notional of not-yet-triggered accounts by liquidation-price bucket. `edges` has n+1 entries;
 * longs go to out[n+1 …], shorts to out[2n+1 …] of the same buffer. Called by the page a few
 * times a second.
 */
export function liquidationMapInto(buf: StaticArray<f64>, n: i32): void {
  for (let b = 0; b < 2 * n; b++) unchecked(buf[n + 1 + b] = 0);
  for (let i = longNext; i < longCount; i++) addToMap(buf, n, i, n + 1);
  for (let i = shortNext; i < count; i++) addToMap(buf, n, i, 2 * n + 1);
}

// @ts-ignore: decorator
@inline function addToMap(buf: StaticArray<f64>, n: i32, i: i32, offset: i32): void {
  const x = unchecked(liqPrice[i]);
  if (n <= 0 || x < unchecked(buf[0]) || x >= unchecked(buf[n])) return;
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (unchecked(buf[mid]) <= x) lo = mid;
    else hi = mid;
  }
  unchecked(buf[offset + lo] += unchecked(remaining[i]) * x);
}
