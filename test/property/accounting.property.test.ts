/**
 * Every dollar a liquidated trader loses goes somewhere. For every tick, the margin of the
 * positions liquidated that tick is accounted for by what the counterparties were paid, the
 * liquidator's bonus, the margin returned to the trader, what went into the insurance fund, less
 * what the fund paid out and less the bad debt nobody covered:
 *
 *   liqMargin = liqCounterparty + liqBonus + liqReturned + fundIn − fundPaid − badDebt
 *
 * (the identity in the comment of `settle` in src/model/reference/perps.ts). It is checked to
 * 1e-6 of max(1, |liqMargin|, |liqCounterparty|) on every tick of random runs of the WASM
 * release engine (both venues, with and without an insurance fund, a throttle, dynamic margin, a
 * breaker, lending on a shared oracle; random leverage, liquidation speed and shock), plus a few
 * runs of the reference engine. Alongside it, the insurance fund's own books: its balance moves
 * by exactly what was paid in and out, it never goes negative, only a CEX has one, only a DEX
 * pays bonuses and returns margin, and auto-deleveraging happens only on a CEX, on ticks whose
 * shortfalls drained the fund, and leaves no bad debt.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceEngine } from '../../src/model/reference/engine.ts';
import { type Params } from '../../src/model/schema.ts';
import { type Series } from '../../src/model/series.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../src/sim/wasm-node.ts';
import { runToEnd } from '../support/engine.ts';
import { paramsWith as params } from '../support/params.ts';

const IDENTITY_TOLERANCE = 1e-6;

let wasm: WasmEngine;
const reference = new ReferenceEngine();

beforeAll(async () => {
  wasm = new WasmEngine(await loadEngineNode('release'));
});

const sum = (column: Float64Array) => column.reduce((s, x) => s + x, 0);

/** Everything wrong with a run's liquidation accounting, as readable lines (empty when it is sound). */
function accountingProblems(s: Series, p: Params): string[] {
  const problems: string[] = [];
  const cex = p.venue === 'cex';
  const T = p.ticks as number;
  if (s.insuranceFund[0] !== p.insuranceFund)
    problems.push(`insuranceFund[0] = ${s.insuranceFund[0]}, expected ${p.insuranceFund}`);
  for (let t = 1; t <= T; t++) {
    const rhs = s.liqCounterparty[t] + s.liqBonus[t] + s.liqReturned[t] + s.fundIn[t] - s.fundPaid[t] - s.badDebt[t];
    const scale = Math.max(1, Math.abs(s.liqMargin[t]), Math.abs(s.liqCounterparty[t]));
    if (!(Math.abs(s.liqMargin[t] - rhs) <= IDENTITY_TOLERANCE * scale)) {
      problems.push(
        `tick ${t}: liqMargin ${s.liqMargin[t]} ≠ counterparty ${s.liqCounterparty[t]} + bonus ${s.liqBonus[t]} + returned ${s.liqReturned[t]} + fundIn ${s.fundIn[t]} − fundPaid ${s.fundPaid[t]} − badDebt ${s.badDebt[t]} = ${rhs}`,
      );
    }
    const expectedFund = s.insuranceFund[t - 1] + s.fundIn[t] - s.fundPaid[t];
    const fundScale = Math.max(1, Math.abs(s.insuranceFund[t - 1]), s.fundIn[t], s.fundPaid[t]);
    if (!(Math.abs(s.insuranceFund[t] - expectedFund) <= IDENTITY_TOLERANCE * fundScale)) {
      problems.push(
        `tick ${t}: fund ${s.insuranceFund[t]} ≠ ${s.insuranceFund[t - 1]} + ${s.fundIn[t]} − ${s.fundPaid[t]}`,
      );
    }
    if (!(s.insuranceFund[t] >= 0)) problems.push(`tick ${t}: fund is negative (${s.insuranceFund[t]})`);
    for (const key of ['liqMargin', 'liqBonus', 'liqReturned', 'fundIn', 'fundPaid', 'badDebt', 'adlVolume'] as const) {
      if (!(s[key][t] >= 0)) problems.push(`tick ${t}: ${key} = ${s[key][t]} is negative`);
    }
    if (!cex && (s.fundIn[t] !== 0 || s.fundPaid[t] !== 0))
      problems.push(`tick ${t}: a DEX run moved the fund (in ${s.fundIn[t]}, paid ${s.fundPaid[t]})`);
    if (cex && (s.liqBonus[t] !== 0 || s.liqReturned[t] !== 0))
      problems.push(`tick ${t}: a CEX run paid a bonus (${s.liqBonus[t]}) or returned margin (${s.liqReturned[t]})`);
    // ADL covers only what the fund cannot: it happens on a tick that paid out all the fund held.
    if (s.adlVolume[t] > 0 && !(cex && s.fundPaid[t] >= s.insuranceFund[t - 1] * (1 - 1e-9))) {
      problems.push(
        `tick ${t}: ${s.adlVolume[t]} auto-deleveraged on a ${p.venue} run whose fund of ${s.insuranceFund[t - 1]} paid only ${s.fundPaid[t]}`,
      );
    }
    if (cex && s.badDebt[t] !== 0)
      problems.push(`tick ${t}: a CEX run left bad debt (${s.badDebt[t]}): auto-deleveraging should have covered it`);
  }
  return problems.slice(0, 5);
}

/** A log-uniform draw in [low, high]. */
const logUniform = (low: number, high: number) =>
  fc.double({ min: 0, max: 1, noNaN: true }).map((u) => low * (high / low) ** u);
const uniform = (low: number, high: number) => fc.double({ min: low, max: high, noNaN: true });
/** Zero (the mechanism off) one time in three, else a draw from `on`. */
const offOr = (on: fc.Arbitrary<number>) =>
  fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: on, weight: 2 });

/** Random small runs that liquidate: levered accounts, a shock inside the run, every policy toggled at random. */
const runParams: fc.Arbitrary<Params> = fc
  .record({
    seed: fc.nat(2 ** 31),
    ticks: fc.integer({ min: 100, max: 300 }),
    accounts: fc.integer({ min: 200, max: 3000 }),
    dealers: fc.integer({ min: 0, max: 200 }),
    gex: uniform(-1, 1),
    leverage: logUniform(8, 60),
    longShare: uniform(0.2, 0.9),
    entrySpread: uniform(0, 0.05),
    maintMargin: uniform(0.001, 0.05),
    liqSpeed: uniform(0.05, 1),
    liqBonus: uniform(0, 0.1),
    shock: uniform(0.03, 0.3),
    shockStart: fc.integer({ min: 5, max: 80 }),
    shockTicks: fc.integer({ min: 1, max: 30 }),
    venue: fc.constantFrom('dex', 'cex'),
    insuranceFund: offOr(logUniform(1e4, 1e9)),
    liqThrottle: offOr(logUniform(1e6, 1e9)),
    dynamicMargin: offOr(uniform(0.1, 3)),
    breakerThreshold: offOr(uniform(0.01, 0.1)),
    borrowers: offOr(fc.integer({ min: 50, max: 1000 })),
    oracleMode: fc.constantFrom('venue', 'twap', 'pool'),
  })
  .map((drawn) => params(drawn));

describe('liquidation accounting: every dollar a liquidated trader loses goes somewhere', () => {
  const totals = {
    runs: 0,
    liquidatingRuns: 0,
    liqMargin: 0,
    cexRuns: 0,
    adlRuns: 0,
    fundPaidRuns: 0,
    badDebtRuns: 0,
    bonusRuns: 0,
  };

  afterAll(() => {
    console.log(`accounting property (WASM release): ${JSON.stringify(totals)}`);
  });

  it('holds on every tick of random runs of the WASM release engine', () => {
    fc.assert(
      fc.property(runParams, (p) => {
        const s = runToEnd(wasm, p);
        expect(accountingProblems(s, p)).toEqual([]);
        const margin = sum(s.liqMargin);
        totals.runs++;
        totals.liqMargin += margin;
        if (margin > 0) totals.liquidatingRuns++;
        if (p.venue === 'cex') totals.cexRuns++;
        if (sum(s.adlVolume) > 0) totals.adlRuns++;
        if (sum(s.fundPaid) > 0) totals.fundPaidRuns++;
        if (sum(s.badDebt) > 0) totals.badDebtRuns++;
        if (sum(s.liqBonus) > 0) totals.bonusRuns++;
      }),
      { seed: 42, numRuns: 30 },
    );
    // The property is only worth something if the runs liquidate, on both venues, down every path.
    expect(totals.runs).toBe(30);
    expect(totals.liquidatingRuns).toBeGreaterThanOrEqual(20);
    expect(totals.liqMargin).toBeGreaterThan(1e8);
    expect(totals.cexRuns).toBeGreaterThanOrEqual(5);
    expect(totals.adlRuns).toBeGreaterThanOrEqual(1);
    expect(totals.fundPaidRuns).toBeGreaterThanOrEqual(1);
    expect(totals.badDebtRuns).toBeGreaterThanOrEqual(1);
    expect(totals.bonusRuns).toBeGreaterThanOrEqual(1);
  });

  it('holds on random runs of the reference engine', () => {
    let liquidating = 0;
    fc.assert(
      fc.property(runParams, (p) => {
        const s = runToEnd(reference, p);
        expect(accountingProblems(s, p)).toEqual([]);
        if (sum(s.liqMargin) > 0) liquidating++;
      }),
      { seed: 42, numRuns: 4 },
    );
    expect(liquidating).toBeGreaterThanOrEqual(2);
  });

  /** A crowded 20× long book, a 10% shock and instant liquidations: a cascade that gaps past bankruptcy. */
  const CASCADE = {
    ticks: 200,
    accounts: 3000,
    dealers: 100,
    leverage: 20,
    longShare: 0.8,
    liqSpeed: 1,
    shock: 0.1,
    shockStart: 20,
    gex: -0.5,
  };

  it.each([
    ['wasm', () => wasm],
    ['reference', () => reference],
  ] as const)(
    'a CEX with an empty insurance fund auto-deleverages every shortfall, and only those (%s)',
    (_, engine) => {
      const p = params({ ...CASCADE, venue: 'cex', insuranceFund: 0 });
      const s = runToEnd(engine(), p);
      expect(accountingProblems(s, p)).toEqual([]);
      // Fills that still have equity are booked, and their remaining margin fills the fund; a fill
      // whose shortfall the fund cannot pay is closed against profitable traders at its bankruptcy
      // price, for the part the fund cannot cover: no bad debt is left.
      expect(sum(s.adlVolume)).toBeGreaterThan(1e7);
      expect(sum(s.badDebt)).toBe(0);
      // Whatever was booked left equity, which went into the (empty) fund; nothing was paid out of it.
      expect(sum(s.fundPaid)).toBe(0);
      expect(sum(s.fundIn)).toBeCloseTo(s.insuranceFund.at(-1)!, 6);
    },
  );

  it('a bigger fund auto-deleverages less, and a big enough one not at all', () => {
    const adl = [0, 1e6, 1e8, 1e10].map((insuranceFund) =>
      sum(runToEnd(wasm, params({ ...CASCADE, venue: 'cex', insuranceFund })).adlVolume),
    );
    console.log(`ADL by fund size $0, $1M, $100M, $10B: ${adl.map((x) => x.toExponential(3)).join(', ')}`);
    adl.slice(1).forEach((x, i) => expect(x).toBeLessThanOrEqual(adl[i]));
    expect(adl[0]).toBeGreaterThan(adl[2]);
    expect(adl[3]).toBe(0);
  });

  it('a CEX with a small fund pays shortfalls from it until it is empty, then auto-deleverages', () => {
    const p = params({ ...CASCADE, venue: 'cex', insuranceFund: 1e6 });
    const s = runToEnd(wasm, p);
    expect(accountingProblems(s, p)).toEqual([]);
    const firstAdl = s.adlVolume.findIndex((x) => x > 0);
    const firstPaid = s.fundPaid.findIndex((x) => x > 0);
    expect(firstPaid).toBeGreaterThan(0);
    expect(firstAdl).toBeGreaterThanOrEqual(firstPaid);
  });

  it('a DEX pays the bonus out of the remaining margin and leaves bad debt when the price gaps past bankruptcy', () => {
    // Liquidators working a fifth of the queue a tick: early fills still have equity, later ones gap past bankruptcy.
    const p = params({ ...CASCADE, venue: 'dex', liqBonus: 0.001, liqSpeed: 0.2 });
    const s = runToEnd(wasm, p);
    expect(accountingProblems(s, p)).toEqual([]);
    expect(sum(s.liqBonus)).toBeGreaterThan(0);
    expect(sum(s.liqReturned)).toBeGreaterThan(0);
    expect(sum(s.badDebt)).toBeGreaterThan(0);
    expect(sum(s.adlVolume)).toBe(0);
  });
});
