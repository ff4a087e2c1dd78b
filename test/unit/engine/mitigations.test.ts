/**
 * The mitigations of MODEL.md §3 do what they say (that each lowers the multiplier on its own,
 * seed by seed, is a claim of test/fidelity/claims.ts): the breaker halts and freezes the price
 * and pauses the sell program without losing any of it; the throttle caps liquidation notional
 * per tick; dynamic margin rises with realized vol beyond its calm band, and margin-called
 * traders post collateral and deleverage instead of being liquidated; the options AMM hedges
 * more slowly than dealers holding the same book. WASM release engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL, readBlock } from '../../../src/model/constants.ts';
import { shockUsdPerTick } from '../../../src/model/reference/market.ts';
import { toEngineBlock, type Params } from '../../../src/model/schema.ts';
import { type Series } from '../../../src/model/series.ts';
import { summarize } from '../../../src/model/summary.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { runToEnd } from '../../support/engine.ts';
import { presetParams } from '../../support/params.ts';

const SEEDS = [7, 1, 2] as const;

let wasm: WasmEngine;
beforeAll(async () => {
  wasm = new WasmEngine(await loadEngineNode('release'));
});

const runSeries = (p: Params): Series => runToEnd(wasm, p);

const multiplier = (p: Params) => summarize(runSeries(p), p).feedbackMultiplier;
const sum = (column: Float64Array) => column.reduce((s, x) => s + x, 0);
const largestAbs = (column: Float64Array) => column.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(3)).join(', ');

describe('together, on the perp cascade', () => {
  it('the mitigated preset has a lower multiplier than perp-cascade on the same seeds', () => {
    const cascade = SEEDS.map((seed) => multiplier(presetParams('perp-cascade', { seed })));
    const mitigated = SEEDS.map((seed) => multiplier(presetParams('mitigated', { seed })));
    console.log(`mitigated preset: multiplier ${fmt(mitigated)} against perp-cascade ${fmt(cascade)}`);
    SEEDS.forEach((seed, i) => expect(mitigated[i], `seed ${seed}`).toBeLessThan(cascade[i]));
  });
});

describe('the circuit breaker', () => {
  // A low threshold: the scripted sell program itself trips the breaker halfway through.
  const p = presetParams('perp-cascade', { breakerThreshold: 0.02 });
  let s: Series;
  beforeAll(() => {
    s = runSeries(p);
  });

  it('halts the venue, and trips inside the shock so the scripted flow has to wait', () => {
    const haltedTicks = sum(s.halted);
    const shockEnd = (p.shockStart as number) + (p.shockTicks as number);
    const haltedDuringShock = s.halted.some((h, t) => h === 1 && t > (p.shockStart as number) && t <= shockEnd);
    console.log(`breaker 0.02: ${haltedTicks} ticks halted; halted during the shock: ${haltedDuringShock}`);
    expect(haltedTicks).toBeGreaterThan(0);
    expect(haltedDuringShock).toBe(true);
  });

  it('freezes the price on every halted tick', () => {
    s.halted.forEach((h, t) => {
      if (h === 1) expect(s.price[t], `tick ${t}`).toBe(s.price[t - 1]);
    });
    // Nothing trades on the venue while it is halted.
    for (const key of ['dealerFlow', 'shockFlow', 'liqLong', 'liqShort', 'valueFlow', 'cppiFlow'] as const) {
      s.halted.forEach((h, t) => {
        if (h === 1) expect(s[key][t], `${key}[${t}]`).toBe(0);
      });
    }
  });

  it('loses none of the scripted sell program: it pauses while halted and resumes on reopen', () => {
    const perTick = shockUsdPerTick(readBlock(toEngineBlock(p)));
    const expected = -perTick * (p.shockTicks as number);
    const executed = sum(s.shockFlow);
    const shockTicks = s.shockFlow.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0);
    console.log(
      `shock flow executed ${executed.toExponential(6)} USD over ${shockTicks} ticks; scripted ${expected.toExponential(6)} USD over ${p.shockTicks}`,
    );
    expect(Math.abs(executed - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
    // Every tick that carries it carries one tick's worth (a program resumes at its pace, not in
    // one lump), on as many ticks as the program lasts, the last of them after its window.
    expect(shockTicks).toBe(p.shockTicks as number);
    s.shockFlow.forEach((x) => expect(x === 0 || Math.abs(x + perTick) <= 1e-9 * perTick).toBe(true));
    let last = s.shockFlow.length - 1;
    while (last > 0 && s.shockFlow[last] === 0) last--;
    expect(last).toBeGreaterThan((p.shockStart as number) + (p.shockTicks as number));
  });
});

describe('the liquidation throttle', () => {
  it.each([1e8, 2e8])('caps perp liquidation notional per tick at %d USD (at the tick’s start price)', (cap) => {
    for (const venue of ['dex', 'cex']) {
      const s = runSeries(presetParams('perp-cascade', { liqThrottle: cap, venue }));
      // The cap is on quantity, cap ÷ price at the tick's start; fills are valued at the tick's
      // end price, so the notional cap moves with the tick's return. A queue's tail account is
      // closed out whole when what would be left is dust (1e-9 of it): hence 1e-9 of slack.
      let bindingTicks = 0;
      let worst = 0;
      for (let t = 1; t < s.price.length; t++) {
        const ratio = (s.liqLong[t] + s.liqShort[t]) / ((cap * s.price[t]) / s.price[t - 1]);
        worst = Math.max(worst, ratio);
        if (ratio > 0.99) bindingTicks++;
      }
      console.log(`throttle ${cap} (${venue}): largest liquidation ÷ cap ${worst}, ${bindingTicks} ticks at the cap`);
      expect(worst).toBeLessThanOrEqual(1 + 1e-9);
      expect(bindingTicks).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('dynamic margin', () => {
  const dynamicMargin = 2;

  it('raises the maintenance margin with realized vol beyond its calm band (GEX below its stress scale: the vol term alone)', () => {
    const p = presetParams('perp-cascade', { dynamicMargin, gex: 0 });
    const s = runSeries(p);
    const base = p.maintMargin as number;
    const vol0 = p.vol0 as number;
    for (let t = 0; t < s.price.length - 1; t++) {
      // The margin of tick t (recorded at t + 1) is set by the realized vol at the tick's start.
      expect(-s.gex[t + 1]).toBeLessThan(MODEL.GEX_STRESS_SHARE * (p.dailyVolume as number));
      const expected = Math.min(
        MODEL.MAX_MAINT_MARGIN,
        base * (1 + dynamicMargin * Math.max(0, s.realizedVol[t] / vol0 - MODEL.VOL_STRESS)),
      );
      expect(Math.abs(s.maintMargin[t + 1] - expected), `tick ${t + 1}`).toBeLessThanOrEqual(1e-12);
    }
    const peakVol = s.realizedVol.indexOf(Math.max(...s.realizedVol));
    console.log(
      `dynamic margin ${dynamicMargin}, GEX 0: margin ${s.maintMargin[(p.shockStart as number) - 1]} before the shock, ${s.maintMargin[peakVol + 1]} at the realized-vol peak (${s.realizedVol[peakVol].toFixed(2)}/yr)`,
    );
    expect(s.maintMargin[(p.shockStart as number) - 1]).toBe(base);
    expect(s.maintMargin[peakVol + 1]).toBeGreaterThan(5 * base);
  });

  it('margin-called traders post collateral and deleverage, so fewer positions are liquidated', () => {
    const p = presetParams('perp-cascade', { dynamicMargin });
    const s = runSeries(p);
    const fixed = runSeries(presetParams('perp-cascade'));
    const posted = sum(s.marginPosted);
    const deleveraged = s.deleverage.reduce((a, x) => a + Math.abs(x), 0);
    console.log(
      `dynamic margin ${dynamicMargin}: posted ${posted.toExponential(3)} USD of collateral, deleveraged ${deleveraged.toExponential(3)} USD; liquidated ${(sum(s.liqLong) + sum(s.liqShort)).toExponential(3)} against ${(sum(fixed.liqLong) + sum(fixed.liqShort)).toExponential(3)} with fixed margin`,
    );
    // A calm market before the shock: the margin stays at its base.
    expect(s.maintMargin.slice(0, (p.shockStart as number) + 1).every((m) => m === p.maintMargin)).toBe(true);
    expect(posted).toBeGreaterThan(0);
    expect(deleveraged).toBeGreaterThan(0);
    expect(sum(s.liqLong) + sum(s.liqShort)).toBeLessThan(sum(fixed.liqLong) + sum(fixed.liqShort));
    // With a fixed margin nobody is called.
    expect(fixed.deleverage.every((x) => x === 0)).toBe(true);
    expect(fixed.marginPosted.every((x) => x === 0)).toBe(true);
  });
});

describe('the options AMM', () => {
  it('hedges less per tick than dealers holding the same book', () => {
    // Half the book each: the AMM hedges over time, dealers at their participation rate.
    const half = runSeries(presetParams('perp-cascade', { ammShare: 0.5 }));
    const amm = largestAbs(half.ammFlow);
    const dealers = largestAbs(half.dealerFlow);
    // The whole book: the AMM against dealers alone.
    const allAmm = largestAbs(runSeries(presetParams('perp-cascade', { ammShare: 1 })).ammFlow);
    const allDealers = largestAbs(runSeries(presetParams('perp-cascade', { ammShare: 0 })).dealerFlow);
    console.log(
      `largest hedge trade per tick: half the book, AMM ${amm.toExponential(3)} vs dealers ${dealers.toExponential(3)}; the whole book, AMM ${allAmm.toExponential(3)} vs dealers ${allDealers.toExponential(3)} USD`,
    );
    expect(amm).toBeGreaterThan(0);
    expect(amm).toBeLessThan(0.5 * dealers);
    expect(allAmm).toBeGreaterThan(0);
    expect(allAmm).toBeLessThan(0.5 * allDealers);
  });
});
