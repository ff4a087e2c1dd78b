// Portfolio insurers (1987): CPPI agents hold multiplier × (value − floor) in the asset, capped
// at their value, and rebalance when off target by more than their band — selling into declines —
// as far as the market's capacity for their orders lets them.
import { P, SIZE_SIGMA, lognormalFactor } from './layout';
import { param } from './params';
import { Rng } from './rng';

let count: i32 = 0;
let floor = new StaticArray<f64>(0);
let units = new StaticArray<f64>(0);
let cash = new StaticArray<f64>(0);

/** Draw every insurer's portfolio at the start price. Called by `init`. */
export function initInsurers(rng: Rng): void {
  const n = <i32>param(P.insurers);
  if (count != n) {
    floor = new StaticArray<f64>(n);
    units = new StaticArray<f64>(n);
    cash = new StaticArray<f64>(n);
  }
  count = n;
  const S0 = param(P.price0);
  const multiplier = param(P.cppiMultiplier);
  const floorShare = param(P.cppiFloor);
  const valueEach = n > 0 ? param(P.insuredCapital) / <f64>n : 0.0;
  for (let i = 0; i < n; i++) {
    const value = valueEach * lognormalFactor(SIZE_SIGMA, rng.normal());
    const f = floorShare * value;
    const exposure = Math.min(value, multiplier * (value - f));
    unchecked(floor[i] = f);
    unchecked(units[i] = exposure / S0);
    unchecked(cash[i] = value - exposure);
  }
}

/** Insurers' wanted trades this tick (units), before the capacity. */
let wanted = new StaticArray<f64>(0);

/**
 * Every insurer off target by more than its band wants to trade to target; if together they
 * want more than `cppiCapacity` USD this tick, each trades the same share of its want. Returns
 * the net flow (units). Called every tick the venue trades.
 */
export function rebalanceInsurers(S: f64): f64 {
  const multiplier = param(P.cppiMultiplier);
  const band = param(P.cppiBand);
  const capacity = param(P.cppiCapacity);
  if (wanted.length != count) wanted = new StaticArray<f64>(count);
  let gross = 0.0;
  for (let i = 0; i < count; i++) {
    const u = unchecked(units[i]);
    const value = u * S + unchecked(cash[i]);
    const target = Math.min(value, Math.max(0.0, multiplier * (value - unchecked(floor[i]))));
    const exposure = u * S;
    const want = Math.abs(exposure - target) > band * Math.max(target, exposure) ? target / S - u : 0.0;
    unchecked(wanted[i] = want);
    gross += Math.abs(want);
  }
  const share = capacity > 0 && gross * S > capacity ? capacity / (gross * S) : 1.0;
  let flow = 0.0;
  for (let i = 0; i < count; i++) {
    const trade = share * unchecked(wanted[i]);
    unchecked(units[i] += trade);
    unchecked(cash[i] -= trade * S);
    flow += trade;
  }
  return flow;
}
