// Portfolio insurers (1987): CPPI agents hold multiplier × (value − floor) in the asset, capped
// at their value, and rebalance when off target by more than their band — selling into declines.
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

/** Every insurer off target by more than its band trades to target; returns the net flow (units). Called every tick the venue trades. */
export function rebalanceInsurers(S: f64): f64 {
  const multiplier = param(P.cppiMultiplier);
  const band = param(P.cppiBand);
  let flow = 0.0;
  for (let i = 0; i < count; i++) {
    const u = unchecked(units[i]);
    const value = u * S + unchecked(cash[i]);
    const target = Math.min(value, Math.max(0.0, multiplier * (value - unchecked(floor[i]))));
    const exposure = u * S;
    if (Math.abs(exposure - target) > band * Math.max(target, exposure)) {
      const trade = target / S - u;
      unchecked(units[i] = u + trade);
      unchecked(cash[i] -= trade * S);
      flow += trade;
    }
  }
  return flow;
}
