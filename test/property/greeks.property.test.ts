/**
 * Invariants of the Black–Scholes–Merton Greeks over realistic inputs, for the TypeScript twin
 * and the WASM engine: put–call parity, no-arbitrage bounds, and each Greek equal to the
 * derivative of the price it claims to be (central finite differences).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bsm, GREEK_NAMES, type Greeks, type OptionType } from '../../src/model/greeks.ts';
import { wasmGreeks } from '../../src/sim/greeks.ts';
import { loadEngineNode } from '../../src/sim/wasm-node.ts';
import type { EngineExports } from '../../src/sim/wasm.ts';

interface OptionInputs {
  type: OptionType;
  S: number;
  K: number;
  T: number;
  r: number;
  q: number;
  sigma: number;
}
type Pricer = (o: OptionInputs) => Greeks;

let engine: EngineExports;
beforeAll(async () => {
  engine = await loadEngineNode('debug');
});

const IMPLEMENTATIONS: Array<[string, Pricer]> = [
  ['TypeScript bsm', (o) => bsm(o.type, o.S, o.K, o.T, o.r, o.q, o.sigma)],
  ['WASM bsGreek', (o) => wasmGreeks(engine, o.type, o.S, o.K, o.T, o.r, o.q, o.sigma)],
];

const RUNS = { seed: 42, numRuns: 500 };

const real = (min: number, max: number) => fc.double({ min, max, noNaN: true });

/** S log-uniform on [10, 1e5] so every scale is drawn, K/S in [0.5, 2], T from a day to 3 years. */
const optionInputs: fc.Arbitrary<OptionInputs> = fc
  .record({
    type: fc.constantFrom<OptionType>('call', 'put'),
    logS: real(Math.log(10), Math.log(1e5)),
    moneyness: real(0.5, 2),
    T: real(1 / 365, 3),
    r: real(-0.02, 0.1),
    q: real(-0.02, 0.1),
    sigma: real(0.05, 2),
  })
  .map(({ logS, moneyness, ...rest }) => {
    const S = Math.exp(logS);
    return { ...rest, S, K: S * moneyness };
  });

/**
 * Natural size of each Greek, for absolute tolerances: far from the money a Greek is a tiny
 * difference of large terms and only its error relative to this scale means anything.
 */
function scales({ S, K, T, r, q, sigma }: OptionInputs): Greeks {
  return {
    price: S + K,
    delta: 1,
    gamma: 1 / (S * sigma * Math.sqrt(T)),
    vega: S * Math.sqrt(T),
    theta: (S * sigma) / Math.sqrt(T) + Math.abs(r) * K + Math.abs(q) * S,
    rho: K * T,
  };
}

describe.each(IMPLEMENTATIONS)('%s', (_name, price) => {
  it('satisfies put–call parity c − p = S e^(−qT) − K e^(−rT)', () => {
    fc.assert(
      fc.property(optionInputs, (o) => {
        const call = price({ ...o, type: 'call' }).price;
        const put = price({ ...o, type: 'put' }).price;
        const forwardValue = o.S * Math.exp(-o.q * o.T) - o.K * Math.exp(-o.r * o.T);
        expect(Math.abs(call - put - forwardValue)).toBeLessThanOrEqual(1e-13 * (o.S + o.K));
      }),
      RUNS,
    );
  });

  it('is finite and within the no-arbitrage bounds', () => {
    fc.assert(
      fc.property(optionInputs, (o) => {
        const g = price(o);
        for (const name of GREEK_NAMES) expect(Number.isFinite(g[name]), name).toBe(true);
        const stock = o.S * Math.exp(-o.q * o.T);
        const strike = o.K * Math.exp(-o.r * o.T);
        const [underlying, payment] = o.type === 'call' ? [stock, strike] : [strike, stock];
        const slack = 1e-13 * (o.S + o.K);
        expect(g.price).toBeGreaterThanOrEqual(Math.max(underlying - payment, 0) - slack);
        expect(g.price).toBeLessThanOrEqual(underlying + slack);
        const carry = Math.exp(-o.q * o.T);
        if (o.type === 'call') expect(g.delta >= 0 && g.delta <= carry).toBe(true);
        else expect(g.delta >= -carry && g.delta <= 0).toBe(true);
        expect(g.gamma).toBeGreaterThanOrEqual(0);
        expect(g.vega).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  /*
   * Each Greek against a central difference of what it differentiates. Steps are sized to the
   * scale on which the price bends: in S that is S·σ√T (the width of the smoothed kink), and a
   * step of 1e-4 of it balances truncation against rounding noise. Over 5,000 draws the
   * differences were within 1e-8 of each Greek's scale; the tolerance, 1e-6 of the scale plus
   * 1e-6 of the value, leaves a margin of 100 while a wrong unit or sign is off by percents.
   */
  const derivatives: Array<{
    greek: keyof Greeks;
    of: keyof Greeks;
    bump: (o: OptionInputs, h: number) => OptionInputs;
    step: (o: OptionInputs) => number;
    sign: 1 | -1;
  }> = [
    {
      greek: 'delta',
      of: 'price',
      bump: (o, h) => ({ ...o, S: o.S + h }),
      step: (o) => 1e-4 * o.S * o.sigma * Math.sqrt(o.T),
      sign: 1,
    },
    {
      greek: 'gamma',
      of: 'delta',
      bump: (o, h) => ({ ...o, S: o.S + h }),
      step: (o) => 1e-4 * o.S * o.sigma * Math.sqrt(o.T),
      sign: 1,
    },
    {
      greek: 'vega',
      of: 'price',
      bump: (o, h) => ({ ...o, sigma: o.sigma + h }),
      step: (o) => 1e-4 * o.sigma,
      sign: 1,
    },
    { greek: 'rho', of: 'price', bump: (o, h) => ({ ...o, r: o.r + h }), step: () => 1e-5, sign: 1 },
    // Theta is the change per year of calendar time, in which time to expiry shrinks.
    { greek: 'theta', of: 'price', bump: (o, h) => ({ ...o, T: o.T + h }), step: (o) => 1e-4 * o.T, sign: -1 },
  ];

  it.each(derivatives)('$greek ≈ $sign × d($of) by central differences', ({ greek, of, bump, step, sign }) => {
    fc.assert(
      fc.property(optionInputs, (o) => {
        const h = step(o);
        const difference = (sign * (price(bump(o, h))[of] - price(bump(o, -h))[of])) / (2 * h);
        const analytic = price(o)[greek];
        expect(Math.abs(difference - analytic)).toBeLessThanOrEqual(
          1e-6 * scales(o)[greek] + 1e-6 * Math.abs(analytic),
        );
      }),
      RUNS,
    );
  });
});

/**
 * At σ√T = 0 each pricer takes the limit of its own formulas: off the forward (where the limit is
 * smooth) the values at vol 0 equal those at a vol so small that |d₁| is in the thousands, and
 * those at time 0 equal those a hair before expiry.
 */
describe.each(IMPLEMENTATIONS)('%s at vol 0 and at expiry', (_name, price) => {
  const offForward = optionInputs.filter(
    ({ S, K, T, r, q }) => Math.abs(Math.log((S * Math.exp(-q * T)) / (K * Math.exp(-r * T)))) > 1e-3,
  );

  it('vol 0 is the limit as vol → 0: discounted intrinsic value, deltas 0 or ±e^(−qT)', () => {
    fc.assert(
      fc.property(offForward, (o) => {
        const limit = price({ ...o, sigma: 0 });
        const near = price({ ...o, sigma: 1e-9 });
        const scale = scales({ ...o, sigma: 1 });
        for (const name of ['price', 'delta', 'vega', 'theta', 'rho'] as const)
          expect(Math.abs(limit[name] - near[name]), name).toBeLessThanOrEqual(1e-9 * scale[name]);
        expect(limit.gamma).toBe(0);
        const carry = Math.exp(-o.q * o.T);
        expect([0, o.type === 'call' ? carry : -carry]).toContainEqual(limit.delta + 0);
      }),
      RUNS,
    );
  });

  it('time 0 is the limit as time → 0: intrinsic value, deltas 0 or ±1', () => {
    const offStrike = optionInputs.filter(({ S, K }) => Math.abs(Math.log(S / K)) > 1e-3);
    fc.assert(
      fc.property(offStrike, (o) => {
        const expired = price({ ...o, T: 0 });
        const expiring = price({ ...o, T: 1e-14 });
        for (const name of ['price', 'delta', 'theta', 'rho'] as const)
          expect(Math.abs(expired[name] - expiring[name]), name).toBeLessThanOrEqual(1e-9 * (o.S + o.K));
        expect(expired.price).toBe(o.type === 'call' ? Math.max(o.S - o.K, 0) : Math.max(o.K - o.S, 0));
      }),
      RUNS,
    );
  });
});
