/**
 * Black–Scholes–Merton value and Greeks of a European option with continuous rate `r` and
 * dividend (or funding/borrow) yield `q`: the TypeScript twin of `assembly/greeks.ts`, written
 * the same way step for step so the two agree to rounding. Time `T` in years; vega and rho are
 * per 1.00 change of volatility and rate, theta per year.
 */
export type OptionType = 'call' | 'put';

export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
}

/** The order of the engine's `bsGreek(…, which)` selector (`Greek` in assembly/greeks.ts). */
export const GREEK_NAMES = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'] as const;

const SQRT_2PI = 2.5066282746310002;

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Standard normal CDF: Hart's (1968) double-precision rational approximation as given by
 * G. West, "Better approximations to cumulative normal functions" (Wilmott, 2005), absolute error
 * about 1e-14 — the same algorithm as the engine, which has no `erf` to call.
 */
export function normCdf(x: number): number {
  const z = Math.abs(x);
  let tail = 0;
  if (z <= 37) {
    const e = Math.exp(-0.5 * z * z);
    if (z < 7.07106781186547) {
      let num = 3.52624965998911e-2 * z + 0.700383064443688;
      num = num * z + 6.37396220353165;
      num = num * z + 33.912866078383;
      num = num * z + 112.079291497871;
      num = num * z + 221.213596169931;
      num = num * z + 220.206867912376;
      let den = 8.83883476483184e-2 * z + 1.75566716318264;
      den = den * z + 16.064177579207;
      den = den * z + 86.7807322029461;
      den = den * z + 296.564248779674;
      den = den * z + 637.333633378831;
      den = den * z + 793.826512519948;
      den = den * z + 440.413735824752;
      tail = (e * num) / den;
    } else {
      let cf = z + 0.65;
      cf = z + 4 / cf;
      cf = z + 3 / cf;
      cf = z + 2 / cf;
      cf = z + 1 / cf;
      tail = e / cf / 2.506628274631; // West's rounded √(2π), kept as published
    }
  }
  return x > 0 ? 1 - tail : tail;
}

/**
 * All six values for one option. Expired or volatility-free options (σ√T = 0) take the limit of
 * the formulas as σ√T → 0 (see `degenerate`).
 */
export function bsm(type: OptionType, S: number, K: number, T: number, r: number, q: number, sigma: number): Greeks {
  const call = type === 'call';
  const sqrtT = Math.sqrt(T);
  const volSqrtT = sigma * sqrtT;
  if (!(volSqrtT > 0)) return degenerate(call, S, K, T, r, q, sigma);
  const d1 = (Math.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / volSqrtT;
  const d2 = d1 - volSqrtT;
  const carry = Math.exp(-q * T);
  const discount = Math.exp(-r * T);
  const density = carry * normPdf(d1);
  const decay = (-S * density * sigma) / (2 * sqrtT);
  const gamma = density / (S * volSqrtT);
  const vega = S * density * sqrtT;
  if (call) {
    return {
      price: S * carry * normCdf(d1) - K * discount * normCdf(d2),
      delta: carry * normCdf(d1),
      gamma,
      vega,
      theta: decay - r * K * discount * normCdf(d2) + q * S * carry * normCdf(d1),
      rho: K * T * discount * normCdf(d2),
    };
  }
  return {
    price: K * discount * normCdf(-d2) - S * carry * normCdf(-d1),
    delta: -carry * normCdf(-d1),
    gamma,
    vega,
    theta: decay + r * K * discount * normCdf(-d2) - q * S * carry * normCdf(-d1),
    rho: -K * T * discount * normCdf(-d2),
  };
}

/**
 * The σ√T → 0 limit, as assembly/greeks.ts computes it: the discounted intrinsic value
 * max(S·e^(−qT) − K·e^(−rT), 0) for a call, a delta of ±e^(−qT) in the money forward and 0 out of
 * it, the carry of the forward as theta (q·S·e^(−qT) − r·K·e^(−rT) for a call in the money), rho
 * ±K·T·e^(−rT), and no gamma or vega. Exactly at the forward N(d₁) and N(d₂) tend to ½, so those
 * are halved; there vega tends to S·e^(−qT)·√(T/2π) and gamma has no finite limit
 * (`atForwardLimit` tells a caller that must say so).
 */
function degenerate(call: boolean, S: number, K: number, T: number, r: number, q: number, sigma: number): Greeks {
  const t = T > 0 ? T : 0;
  const carry = Math.exp(-q * t);
  const discount = Math.exp(-r * t);
  const forwardSpot = S * carry;
  const presentStrike = K * discount;
  const atForward = forwardSpot === presentStrike;
  const w = atForward ? 0.5 : (call ? forwardSpot > presentStrike : forwardSpot < presentStrike) ? 1 : 0;
  const sign = call ? 1 : -1;
  return {
    price: Math.max(sign * (forwardSpot - presentStrike), 0),
    delta: sign * w * carry,
    gamma: 0,
    vega: atForward && sigma === 0 ? (forwardSpot * Math.sqrt(t)) / SQRT_2PI : 0,
    theta: sign * w * (q * forwardSpot - r * presentStrike),
    rho: sign * w * K * t * discount,
  };
}

/**
 * Whether an option sits where the σ√T → 0 limit has no finite gamma (and, at expiry with some
 * vol left, no finite theta): σ√T = 0 and S·e^(−qT) = K·e^(−rT) exactly.
 */
export function atForwardLimit(S: number, K: number, T: number, r: number, q: number, sigma: number): boolean {
  const t = T > 0 ? T : 0;
  return !(sigma * Math.sqrt(T) > 0) && S * Math.exp(-q * t) === K * Math.exp(-r * t);
}
