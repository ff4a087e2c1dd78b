/**
 * The fall split by loop: the run's max drawdown attributed to the shock and to each feedback
 * loop present, by Shapley values over the loops switched on and off on the same seed (the
 * schema's Loops switches), so the parts add up to the whole.
 *
 * The game: v(S) is the max drawdown of the run with the loops of S switched on and every other
 * present loop off. v(all present) is the run itself; v(∅) is "the shock alone" — the same seed
 * and sell program with every loop off, in the run's own market. With no policy acting, that is
 * exactly the counterfactual's fall (test/unit/engine/loops.test.ts checks it bit for bit); a
 * circuit breaker can halt even a bare shock, and then v(∅) is the shock as the policy lets it
 * fall. The shock's part is v(∅), each loop's its Shapley value φᵢ, and Σφᵢ = v(N) − v(∅), so
 * shock + Σφᵢ = the run's drawdown. A loop that is absent (switched off, or without agents to
 * carry it) is no player: its part is 0.
 *
 * Exact with 2ⁿ runs when that costs no more than sampling would; otherwise permutation
 * sampling (antithetic pairs, seeded by the run's seed), each permutation's marginals still
 * adding up to v(N) − v(∅), with the largest standard error of a part stated.
 *
 * Planning (which coalitions to run) and combining (their drawdowns into parts) are apart, so
 * the runs can go to any pool of engines: the page's workers, the CLI's threads, one engine.
 */
import { readBlock } from './constants.ts';
import { Rng } from './rng.ts';
import { toEngineBlock, type ParamKey, type Params } from './schema.ts';

export type LoopKey = 'dealers' | 'vega' | 'perps' | 'lending' | 'insurers' | 'stablecoin' | 'depth';

export interface Loop {
  key: LoopKey;
  /** Its switch in the schema (group Loops). */
  switch: ParamKey;
  /** Short name, as the waterfall labels it. */
  label: string;
}

/** The feedback loops, in the order the parts are listed (and summed). */
export const LOOPS: readonly Loop[] = [
  { key: 'dealers', switch: 'loopDealers', label: 'dealers' },
  { key: 'vega', switch: 'loopVega', label: 'vega' },
  { key: 'perps', switch: 'loopPerps', label: 'liquidations' },
  { key: 'lending', switch: 'loopLending', label: 'lending' },
  { key: 'insurers', switch: 'loopInsurers', label: 'insurers' },
  { key: 'stablecoin', switch: 'loopStablecoin', label: 'stablecoin' },
  { key: 'depth', switch: 'loopDepth', label: 'depth' },
];

/** Permutations sampled when the exact count would cost more runs (an even number: antithetic pairs). */
export const DEFAULT_PERMUTATIONS = 16;

/** The PRNG stream of the sampled permutations (apart from the engines' streams 0–2). */
const PERMUTATION_STREAM = 11;

/**
 * The loops that can move this run's price: switched on, with agents to carry them (read from
 * the engine's own parameter block, so a switch expressed as another parameter counts).
 */
export function presentLoops(params: Params): LoopKey[] {
  const p = readBlock(toEngineBlock(params));
  const on = (key: ParamKey) => params[key] !== 'off';
  const dealers = p.dealers > 0 && p.optionOI > 0;
  const depth = on('loopDepth') && p.depthThinning > 0;
  const present: Record<LoopKey, boolean> = {
    dealers: on('loopDealers') && dealers,
    // Implied vol must be able to move, and something must read it: dealers' books or depth.
    vega: on('loopVega') && (p.ivSpeed > 0 || (p.ivDemand > 0 && dealers)) && (dealers || depth),
    perps: on('loopPerps') && p.accounts > 0 && p.perpOI > 0,
    lending: on('loopLending') && p.borrowers > 0 && p.lendingDebt > 0,
    insurers: on('loopInsurers') && p.insurers > 0 && p.insuredCapital > 0,
    stablecoin: on('loopStablecoin') && p.stableSupply > 0,
    depth,
  };
  return LOOPS.filter((loop) => present[loop.key]).map((loop) => loop.key);
}

export interface AttributionPlan {
  /** The players, in LOOPS order; bit k of a coalition mask is present[k]. */
  present: LoopKey[];
  method: 'exact' | 'sampled';
  /** Every coalition to run, as masks (the full one, N, included). */
  coalitions: number[];
  /** The sampled orders (sampled method only), each a permutation of 0..n−1. */
  permutations: number[][];
}

export interface AttributionOptions {
  method?: 'auto' | 'exact' | 'sampled';
  /** Permutations to sample (even, at least 4). */
  permutations?: number;
}

/** Which coalitions to run for `params`: all 2ⁿ, or those the sampled permutations pass through. */
export function planAttribution(params: Params, options: AttributionOptions = {}): AttributionPlan {
  const present = presentLoops(params);
  const n = present.length;
  const m = options.permutations ?? DEFAULT_PERMUTATIONS;
  if (!(Number.isInteger(m) && m >= 4 && m % 2 === 0))
    throw new RangeError(`permutations must be an even integer of at least 4, got ${m}`);
  const full = (1 << n) - 1;
  // Sampling passes through at most m·(n − 1) coalitions besides ∅ and N.
  const exact = options.method === 'exact' || (options.method !== 'sampled' && 2 ** n <= m * Math.max(0, n - 1) + 2);
  if (exact)
    return { present, method: 'exact', coalitions: Array.from({ length: full + 1 }, (_, s) => s), permutations: [] };
  const rng = new Rng(params.seed as number, PERMUTATION_STREAM);
  const permutations: number[][] = [];
  for (let k = 0; k < m / 2; k++) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    permutations.push(order, [...order].reverse());
  }
  const coalitions = new Set<number>([0, full]);
  for (const order of permutations) {
    let s = 0;
    for (const i of order) coalitions.add((s |= 1 << i));
  }
  return { present, method: 'sampled', coalitions: [...coalitions].sort((a, b) => a - b), permutations };
}

/** The parameters of coalition `mask`: the present loops outside it switched off. */
export function coalitionParams(params: Params, plan: Pick<AttributionPlan, 'present'>, mask: number): Params {
  const next = { ...params } as Record<string, number | string>;
  plan.present.forEach((key, k) => {
    if (!(mask & (1 << k))) next[LOOPS.find((loop) => loop.key === key)!.switch] = 'off';
  });
  return next as Params;
}

export type Contributions = { shock: number } & Record<LoopKey, number>;

export interface Attribution {
  /** The run's max drawdown: v(N). */
  drawdown: number;
  contributions: Contributions;
  method: 'exact' | 'sampled';
  /** Largest standard error of a loop's part (0 when exact), in drawdown units. */
  error: number;
  /** Coalitions run. */
  runs: number;
}

/** Combine the coalitions' drawdowns (by mask: a map, or an array indexed by mask) into the parts. */
export function combineAttribution(
  plan: AttributionPlan,
  drawdownOf: ReadonlyMap<number, number> | readonly number[],
): Attribution {
  const n = plan.present.length;
  const v = (mask: number): number => {
    const value = Array.isArray(drawdownOf) ? drawdownOf[mask] : (drawdownOf as ReadonlyMap<number, number>).get(mask);
    if (value === undefined) throw new Error(`attribution: coalition ${mask} was not run`);
    return value;
  };
  const full = (1 << n) - 1;
  const phi = new Array<number>(n).fill(0);
  let error = 0;
  if (plan.method === 'exact') {
    const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
    for (let i = 0; i < n; i++) {
      for (let s = 0; s <= full; s++) {
        if (s & (1 << i)) continue;
        const size = popcount(s);
        phi[i] += ((factorial(size) * factorial(n - size - 1)) / factorial(n)) * (v(s | (1 << i)) - v(s));
      }
    }
  } else {
    // One sample per antithetic pair: the mean of a permutation's and its reverse's marginals.
    const pairs = plan.permutations.length / 2;
    const samples = Array.from({ length: n }, () => new Array<number>(pairs).fill(0));
    plan.permutations.forEach((order, k) => {
      let s = 0;
      for (const i of order) {
        const next = s | (1 << i);
        samples[i][k >> 1] += (v(next) - v(s)) / 2;
        s = next;
      }
    });
    for (let i = 0; i < n; i++) {
      const mean = samples[i].reduce((a, b) => a + b, 0) / pairs;
      const variance = samples[i].reduce((a, b) => a + (b - mean) ** 2, 0) / (pairs - 1);
      phi[i] = mean;
      error = Math.max(error, Math.sqrt(variance / pairs));
    }
  }
  const drawdown = v(full);
  const parts = [v(0), ...phi];
  balance(parts, drawdown);
  const contributions = { shock: parts[0] } as Contributions;
  for (const loop of LOOPS) {
    const k = plan.present.indexOf(loop.key);
    contributions[loop.key] = k < 0 ? 0 : parts[k + 1];
  }
  return { drawdown, contributions, method: plan.method, error, runs: plan.coalitions.length };
}

/**
 * The parts add up to the total in real numbers; in floating point their sum can miss it by a
 * few units in the last place. Give that residue to the largest part, so that summing the
 * printed parts in their order gives the drawdown exactly.
 */
function balance(parts: number[], total: number): void {
  let largest = 0;
  parts.forEach((x, i) => (Math.abs(x) > Math.abs(parts[largest]) ? (largest = i) : undefined));
  for (let k = 0; k < 8; k++) {
    const residue = total - sumInOrder(parts);
    if (residue === 0) return;
    parts[largest] += residue;
  }
}

/** The parts summed the way a reader sums them: shock first, then the loops in LOOPS order. */
export function sumInOrder(parts: readonly number[]): number {
  return parts.reduce((a, b) => a + b, 0);
}

function popcount(x: number): number {
  let count = 0;
  for (let y = x; y; y &= y - 1) count++;
  return count;
}
