/**
 * Black–Scholes–Merton value and Greeks of a European option with continuous rate `r` and
 * dividend (or funding/borrow) yield `q`. Time `T` in years; vega and rho are per 1.00 change of
 * volatility and rate, theta per year. `src/model/greeks.ts` is the TypeScript twin: same
 * algorithm, same order of operations (test/unit/engine/greeks.test.ts holds them to 1e-12).
 */

export const SQRT_2PI: f64 = 2.5066282746310002;

/** Which value `bsGreek` returns; the TypeScript side (`GREEK_NAMES`) uses the same order. */
export const enum Greek {
  Price = 0,
  Delta = 1,
  Gamma = 2,
  Vega = 3,
  Theta = 4,
  Rho = 5,
}

/** Standard normal density. */
@inline
export function normPdf(x: f64): f64 {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Standard normal CDF: Hart's (1968) double-precision rational approximation as given by
 * G. West, "Better approximations to cumulative normal functions" (Wilmott, 2005), absolute error
 * about 1e-14. Its own code rather than `erf`, which AssemblyScript lacks, and written so the
 * TypeScript twin can match it operation for operation.
 */
@inline
export function normCdf(x: f64): f64 {
  const z = Math.abs(x);
  let tail: f64 = 0;
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
 * Expired or volatility-free options (σ√T = 0) take the limit of the formulas as σ√T → 0: the
 * discounted intrinsic value max(S·e^(−qT) − K·e^(−rT), 0) (for a call), a delta of e^(−qT) in the
 * money forward and 0 out of it (half at the forward), the carry of the forward as theta, and no
 * gamma. Every output stays finite for finite positive S and K.
 */
@inline
function isDegenerate(volSqrtT: f64): bool {
  return !(volSqrtT > 0);
}

/**
 * Where a degenerate option sits against its forward: 1 in the money (S·e^(−qT) above K·e^(−rT)
 * for a call, below for a put), 0 out of it, ½ exactly at it (N(d₁) and N(d₂) tend to ½ there).
 */
@inline
function limitWeight(isCall: bool, forwardSpot: f64, presentStrike: f64): f64 {
  if (forwardSpot == presentStrike) return 0.5;
  return (isCall ? forwardSpot > presentStrike : forwardSpot < presentStrike) ? 1 : 0;
}

/** One of price, delta, gamma, vega, theta, rho (`which`, see `Greek`) of a degenerate option: the σ√T → 0 limit. */
function degenerateGreek(isCall: bool, S: f64, K: f64, T: f64, r: f64, q: f64, sigma: f64, which: i32): f64 {
  const t = T > 0 ? T : 0;
  const carry = Math.exp(-q * t);
  const discount = Math.exp(-r * t);
  const forwardSpot = S * carry;
  const presentStrike = K * discount;
  const w = limitWeight(isCall, forwardSpot, presentStrike);
  const sign: f64 = isCall ? 1 : -1;
  if (which == Greek.Price) return max(sign * (forwardSpot - presentStrike), 0);
  if (which == Greek.Delta) return sign * w * carry;
  if (which == Greek.Vega) return forwardSpot == presentStrike && sigma == 0 ? (forwardSpot * Math.sqrt(t)) / SQRT_2PI : 0;
  if (which == Greek.Theta) return sign * w * (q * forwardSpot - r * presentStrike);
  if (which == Greek.Rho) return sign * w * K * t * discount;
  return 0; // Greek.Gamma: nil off the forward, unbounded at it (the CLI says so)
}

@inline
function d1Of(S: f64, K: f64, T: f64, r: f64, q: f64, sigma: f64, volSqrtT: f64): f64 {
  return (Math.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / volSqrtT;
}

/** Value of the last `bsDeltaGamma` call. */
export let lastPrice: f64 = 0;
/** Gamma of the last `bsDeltaGamma` call. */
export let lastGamma: f64 = 0;
/** Vega (per 1.00 of volatility) of the last `bsDeltaGamma` call. */
export let lastVega: f64 = 0;

/**
 * Delta, with value, gamma and vega left in `lastPrice`, `lastGamma` and `lastVega`: the
 * hedging loop needs all four once per option series per tick and this computes d1 and the
 * density once, allocating nothing.
 */
export function bsDeltaGamma(isCall: bool, S: f64, K: f64, T: f64, r: f64, q: f64, sigma: f64): f64 {
  const sqrtT = Math.sqrt(T);
  const volSqrtT = sigma * sqrtT;
  if (isDegenerate(volSqrtT)) {
    lastPrice = degenerateGreek(isCall, S, K, T, r, q, sigma, Greek.Price);
    lastGamma = 0;
    lastVega = degenerateGreek(isCall, S, K, T, r, q, sigma, Greek.Vega);
    return degenerateGreek(isCall, S, K, T, r, q, sigma, Greek.Delta);
  }
  const d1 = d1Of(S, K, T, r, q, sigma, volSqrtT);
  const d2 = d1 - volSqrtT;
  const carry = Math.exp(-q * T);
  const discount = Math.exp(-r * T);
  const density = carry * normPdf(d1);
  lastGamma = density / (S * volSqrtT);
  lastVega = S * density * sqrtT;
  lastPrice = isCall
    ? S * carry * normCdf(d1) - K * discount * normCdf(d2)
    : K * discount * normCdf(-d2) - S * carry * normCdf(-d1);
  return isCall ? carry * normCdf(d1) : -carry * normCdf(-d1);
}

/**
 * One of price, delta, gamma, vega, theta, rho (`which`, see `Greek`); for the CLI and tests,
 * which want every value, not the hot loop, which wants `bsDeltaGamma`.
 */
export function bsGreek(isCall: i32, S: f64, K: f64, T: f64, r: f64, q: f64, sigma: f64, which: i32): f64 {
  if (which < Greek.Price || which > Greek.Rho) throw new Error('bsGreek: which must be 0..5');
  const call = isCall != 0;
  const sqrtT = Math.sqrt(T);
  const volSqrtT = sigma * sqrtT;
  if (isDegenerate(volSqrtT)) return degenerateGreek(call, S, K, T, r, q, sigma, which);
  const d1 = d1Of(S, K, T, r, q, sigma, volSqrtT);
  const d2 = d1 - volSqrtT;
  const carry = Math.exp(-q * T);
  const discount = Math.exp(-r * T);
  const density = carry * normPdf(d1);
  switch (which) {
    case Greek.Price:
      return call
        ? S * carry * normCdf(d1) - K * discount * normCdf(d2)
        : K * discount * normCdf(-d2) - S * carry * normCdf(-d1);
    case Greek.Delta:
      return call ? carry * normCdf(d1) : -carry * normCdf(-d1);
    case Greek.Gamma:
      return density / (S * volSqrtT);
    case Greek.Vega:
      return S * density * sqrtT;
    case Greek.Theta: {
      const decay = (-S * density * sigma) / (2 * sqrtT);
      return call
        ? decay - r * K * discount * normCdf(d2) + q * S * carry * normCdf(d1)
        : decay + r * K * discount * normCdf(-d2) - q * S * carry * normCdf(-d1);
    }
    default: // Greek.Rho: `which` was checked on entry
      return call ? K * T * discount * normCdf(d2) : -K * T * discount * normCdf(-d2);
  }
}
