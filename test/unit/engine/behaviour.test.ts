/**
 * The counterfactual and the shock: with no reflexive agent the run is its counterfactual, depth
 * thinning alone separates them, and the scripted shock is sized as the drop it causes alone.
 * (The model's claims — every loop's sign, seed by seed — are test/fidelity/claims.ts, run by
 * fidelity.test.ts and `npm run fidelity`.) Release WASM build, defaults otherwise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, toEngineBlock, type Params } from '../../../src/model/schema.ts';
import { readSeries } from '../../../src/model/engine.ts';
import { type Series } from '../../../src/model/series.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';

const SEEDS = [1, 2, 3, 4, 5];

let engine: WasmEngine;
beforeAll(async () => {
  engine = new WasmEngine(await loadEngineNode('release'));
});

/** Runs by their parameters: several claims share a run (the defaults, gex ±1 …). */
const runs = new Map<string, Series>();

function run(overrides: Partial<Params>): Series {
  const params = { ...defaultParams(), ...overrides } as Params;
  const key = JSON.stringify(params);
  let series = runs.get(key);
  if (!series) {
    engine.init(toEngineBlock(params));
    engine.step(params.ticks as number);
    series = readSeries(engine);
    runs.set(key, series);
  }
  return series;
}

/** Mean of `measure` over SEEDS. */
function meanOverSeeds(overrides: Partial<Params>, measure: (series: Series) => number): number {
  return SEEDS.reduce((sum, seed) => sum + measure(run({ ...overrides, seed })), 0) / SEEDS.length;
}

describe('the counterfactual and the shock', () => {
  /** No reflexive agents at all (the last four are off by default; said here so it stays so). */
  const NO_AGENTS = { dealers: 0, accounts: 0, borrowers: 0, insurers: 0, stableSupply: 0, ammShare: 0 };

  it('with no agents and no depth thinning, the run is its counterfactual', () => {
    for (const seed of SEEDS) {
      const s = run({ ...NO_AGENTS, shock: 0, depthThinning: 0, seed });
      s.price.forEach((p, t) =>
        expect(Math.abs(p / s.cfPrice[t] - 1), `seed ${seed}, tick ${t}`).toBeLessThanOrEqual(1e-12),
      );
    }
  });

  it('with no agents and no shock, depth thinning changes nothing: it scales flow, and noise is the same news in both', () => {
    // Thinning is the liquidity-withdrawal loop, switched off in the counterfactual; noise alone
    // raises realized vol above baseline now and then, and the book thins a little — but with no
    // flow to scale (value traders buy only past their band, which noise alone rarely reaches)
    // the run is its counterfactual.
    const s = run({ ...NO_AGENTS, shock: 0, seed: SEEDS[0] });
    expect(s.depth.some((d) => d < 1)).toBe(true);
    const gap = s.price.reduce((m, p, t) => Math.max(m, Math.abs(p / s.cfPrice[t] - 1)), 0);
    expect(gap).toBeLessThanOrEqual(1e-12);
  });

  describe.each(['linear', 'sqrt'])('alone (no agents, no thinning, no value traders), %s impact', (impactLaw) => {
    const alone = { ...NO_AGENTS, depthThinning: 0, valueCapital: 0, vol0: 0.05, impactLaw };
    const defaults = defaultParams();
    const start = defaults.shockStart as number;
    const end = start + (defaults.shockTicks as number);

    it.each([0.05, 0.2, 0.5])('a shock of %f drops the counterfactual by that much by its last tick', (shock) => {
      // Against the same seed without the shock, the noise cancels exactly …
      for (const seed of SEEDS) {
        const shocked = run({ ...alone, shock, seed }).cfPrice[end];
        const unshocked = run({ ...alone, shock: 0, seed }).cfPrice[end];
        expect(1 - shocked / unshocked, `seed ${seed}`).toBeCloseTo(shock, 9);
      }
      // … and measured from the shock's start, noise (σ₀ = 5%/yr) blurs it by a fraction of 1%.
      const drop = meanOverSeeds({ ...alone, shock }, (s) => 1 - s.cfPrice[end] / s.cfPrice[start]);
      expect(Math.abs(drop / shock - 1)).toBeLessThan(0.01);
    });
  });
});
