// Leveraged perp accounts, their liquidation queue, margin calls under dynamic margin, and
// settlement on a DEX (bots, bonus, bad debt) or a CEX (insurance fund, auto-deleveraging).
//
// Accounts are kept ordered by liquidation price — longs first, highest liquidation price
// first; then shorts, lowest first — so the set ever triggered is a prefix of each side and a
// tick touches only the accounts the oracle crossed: a cursor advances past newly crossed
// accounts, and the queue is the range between the head (next to execute) and that cursor.
// Dynamic margin scales every liquidation price by one factor, which keeps the order: the
// margin-called accounts are the range between the liquidation cursor and a second cursor.
import { P, ENTRY_ATTEMPTS, LEVERAGE_SIGMA, MAX_LEVERAGE, NOTIONAL_SIGMA, DUST, DELEVERAGE_SPEED, VENUE_CEX, lognormalFactor } from './layout';
import { param } from './params';
import { Rng } from './rng';

let count: i32 = 0;
let longCount: i32 = 0;
let qty = new StaticArray<f64>(0);
let entry = new StaticArray<f64>(0);
let leverage = new StaticArray<f64>(0);
let liqPrice = new StaticArray<f64>(0);
let bankruptcy = new StaticArray<f64>(0);
let remaining = new StaticArray<f64>(0);
/** Fills of the current tick, settled once the tick's price is known. */
let fillSlot = new StaticArray<i32>(0);
let fillQty = new StaticArray<f64>(0);
let fills: i32 = 0;
let fillsAdl: bool = false;

// Per side: [head, next) is the liquidation queue, [next, called) the margin-called accounts.
let longNext: i32 = 0;
let longHead: i32 = 0;
let longCalled: i32 = 0;
let shortNext: i32 = 0;
let shortHead: i32 = 0;
let shortCalled: i32 = 0;

let baseMargin: f64 = 0;
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
/** Net quantity margin-called accounts sold this tick (units, + sells): the negative of `deleverage`'s flow. */
export let tickDeleverage: f64 = 0;
export let tickMargin: f64 = 0;
export let tickCounterparty: f64 = 0;
export let tickBonus: f64 = 0;
export let tickReturned: f64 = 0;
export let tickFundIn: f64 = 0;
export let tickFundPaid: f64 = 0;
export let tickBadDebt: f64 = 0;

// Draw-order scratch for sorting (a module global so the sort comparator can read it).
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
  bankruptcy = new StaticArray<f64>(n);
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
  baseMargin = m;
  liqSpeed = param(P.liqSpeed);
  liqBonus = param(P.liqBonus);
  throttleUsd = param(P.liqThrottle);
  cex = <i32>param(P.venue) == VENUE_CEX;
  fund = param(P.insuranceFund);
  const notionalPerAccount = count > 0 ? param(P.perpOI) / <f64>count : 0.0;

  const drawLong = new StaticArray<bool>(count);
  const drawQty = new StaticArray<f64>(count);
  const drawEntry = new StaticArray<f64>(count);
  const drawLev = new StaticArray<f64>(count);
  drawLiq = new StaticArray<f64>(count);
  longCount = 0;
  for (let a = 0; a < count; a++) {
    const isLong = rng.uniform() < longShare;
    const notional = notionalPerAccount * lognormalFactor(NOTIONAL_SIGMA, rng.normal());
    const lev = Math.min(MAX_LEVERAGE, Math.max(1.0, meanLeverage * lognormalFactor(LEVERAGE_SIGMA, rng.normal())));
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
    const isLong = i < longCount;
    const a = isLong ? unchecked(longs[i]) : unchecked(shorts[i - longCount]);
    const e = unchecked(drawEntry[a]);
    const lev = unchecked(drawLev[a]);
    unchecked(qty[i] = drawQty[a]);
    unchecked(entry[i] = e);
    unchecked(leverage[i] = lev);
    unchecked(liqPrice[i] = drawLiq[a]);
    unchecked(bankruptcy[i] = isLong ? e * (1.0 - 1.0 / lev) : e * (1.0 + 1.0 / lev));
    unchecked(remaining[i] = drawQty[a]);
  }
  drawLiq = new StaticArray<f64>(0);

  longNext = 0;
  longHead = 0;
  longCalled = 0;
  shortNext = longCount;
  shortHead = longCount;
  shortCalled = longCount;
}

/**
 * Queue every account whose liquidation price the oracle crossed; under a raised maintenance
 * margin, mark the accounts it now calls. Called every tick.
 */
export function trigger(oracle: f64, maintMargin: f64): void {
  while (longNext < longCount && unchecked(liqPrice[longNext]) >= oracle) longNext++;
  while (shortNext < count && unchecked(liqPrice[shortNext]) <= oracle) shortNext++;
  if (longCalled < longNext) longCalled = longNext;
  if (shortCalled < shortNext) shortCalled = shortNext;
  if (maintMargin > baseMargin) {
    while (longCalled < longCount && (unchecked(liqPrice[longCalled]) * (1.0 - baseMargin)) / (1.0 - maintMargin) >= oracle) longCalled++;
    while (shortCalled < count && (unchecked(liqPrice[shortCalled]) * (1.0 + baseMargin)) / (1.0 + maintMargin) <= oracle) shortCalled++;
  }
}

/**
 * Execute a share liqSpeed of each side's queue (within the throttle); returns the net flow on
 * the venue (asset units, + buys). On a CEX whose insurance fund is empty the fills are
 * auto-deleveraged instead: closed against profitable traders off the book. Called every tick
 * the venue trades.
 */
export function execute(S: f64): f64 {
  fills = 0;
  tickAccounts = 0;
  fillsAdl = cex && fund <= 0;
  let throttle = throttleUsd > 0 ? throttleUsd / S : Infinity;
  let sold = 0.0;
  let bought = 0.0;

  let queuedLong = 0.0;
  for (let i = longHead; i < longNext; i++) queuedLong += unchecked(remaining[i]);
  let budget = Math.min(liqSpeed * queuedLong, throttle);
  throttle -= budget;
  while (budget > 0 && longHead < longNext) {
    const take = takeFrom(longHead, budget);
    budget -= take;
    sold += take;
    if (unchecked(remaining[longHead]) == 0) {
      longHead++;
      tickAccounts++;
    }
  }
  let queuedShort = 0.0;
  for (let i = shortHead; i < shortNext; i++) queuedShort += unchecked(remaining[i]);
  budget = Math.min(liqSpeed * queuedShort, throttle);
  throttle -= budget;
  throttleLeft = throttle;
  while (budget > 0 && shortHead < shortNext) {
    const take = takeFrom(shortHead, budget);
    budget -= take;
    bought += take;
    if (unchecked(remaining[shortHead]) == 0) {
      shortHead++;
      tickAccounts++;
    }
  }
  return fillsAdl ? 0.0 : bought - sold;
}

/** No fills this tick (the venue is halted). */
export function skipExecution(): void {
  fills = 0;
  tickAccounts = 0;
  tickDeleverage = 0;
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

/**
 * Margin-called accounts reduce position and margin together, nearest to liquidation first,
 * within what the throttle leaves after `execute`: the risk engine caps all forced selling.
 * Returns the flow (units, + buys); `tickDeleverage` records it as net selling. Called every
 * tick the venue trades.
 */
export function deleverage(): f64 {
  const sold = reduceRange(longNext, longCalled);
  const bought = reduceRange(shortNext, shortCalled);
  tickDeleverage = sold - bought;
  return bought - sold;
}

function reduceRange(from: i32, to: i32): f64 {
  let total = 0.0;
  for (let i = from; i < to; i++) total += unchecked(remaining[i]);
  let budget = Math.min(DELEVERAGE_SPEED * total, throttleLeft);
  throttleLeft -= budget;
  let done = 0.0;
  for (let i = from; i < to; i++) {
    if (budget <= 0) break;
    const take = Math.min(budget, unchecked(remaining[i]));
    unchecked(remaining[i] -= take);
    budget -= take;
    done += take;
  }
  return done;
}

/**
 * Settle this tick's fills at the tick's price. Every dollar of a liquidated position's margin
 * goes somewhere: margin = counterparties + bonus + returned + fund in − fund paid − bad debt.
 * Called every tick.
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
    const e = unchecked(entry[i]);
    const isLong = i < longCount;
    const margin = (q * e) / unchecked(leverage[i]);
    // Auto-deleveraging closes the position at its bankruptcy price, off the book.
    const price = fillsAdl ? unchecked(bankruptcy[i]) : S;
    const counterparty = isLong ? q * (e - price) : q * (price - e);
    const equity = margin - counterparty;
    tickMargin += margin;
    tickCounterparty += counterparty;
    if (fillsAdl) {
      tickAdl += q * price;
      continue;
    }
    if (isLong) tickLiqLong += q * price;
    else tickLiqShort += q * price;
    const surplus = Math.max(equity, 0.0);
    const shortfall = Math.max(-equity, 0.0);
    if (cex) {
      const paid = Math.min(shortfall, fund + surplus);
      fund += surplus - paid;
      tickFundIn += surplus;
      tickFundPaid += paid;
      tickBadDebt += shortfall - paid;
    } else {
      const bonus = Math.min(liqBonus * q * price, surplus);
      tickBonus += bonus;
      tickReturned += surplus - bonus;
      tickBadDebt += shortfall;
    }
  }
}

/** Quantity (asset units) waiting in both queues. */
export function queued(): f64 {
  let total = 0.0;
  for (let i = longHead; i < longNext; i++) total += unchecked(remaining[i]);
  for (let i = shortHead; i < shortNext; i++) total += unchecked(remaining[i]);
  return total;
}

/**
 * Notional of not-yet-queued accounts by liquidation-price bucket. `edges` has n+1 entries;
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
