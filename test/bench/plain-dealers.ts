/**
 * The plain-JavaScript baseline of the benchmark's dealer loop: the engine's loop
 * (assembly/dealers.ts) written in plain TypeScript on the same layout — one 80-byte record a
 * dealer (four u16 series ids, four positions, hedge, cash, capital, band, rate), a per-series
 * table of 32-byte rows [cumulative change, vega, trial delta, trial gamma] — and doing the same
 * passes a tick: mark every book (Σ position × cumulative change and × vega, the loss-limit test)
 * and, in the same pass, the band test at the first trial price (Σ position × delta and × gamma,
 * flow, slope and reach); the band test again at the second trial price; then trade the dealers
 * out of their band. The books are drawn the way the engine draws them (sizes lognormal, bands a
 * share of the book); the series' Greeks drift a little each tick, so a few dealers leave their
 * band, as in a quiet run.
 */

const POSITIONS = 4;
const SERIES = 60;
/** Record fields, in f64 slots (slot 0 holds the four u16 series ids). */
const RECORD = 10;
const POS = 1;
const HEDGE = 5;
const CASH = 6;
const CAPITAL = 7;
const BAND = 8;
const RATE = 9;

/** Median ms a tick of `ticks` ticks for `dealers` dealers. */
export function plainDealerLoop(dealers: number, ticks: number): number {
  let seed = 12345;
  const uniform = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const buffer = new ArrayBuffer(dealers * RECORD * 8);
  const rec = new Float64Array(buffer);
  const ids = new Uint16Array(buffer);
  const actives = new Int32Array(dealers);
  const activeGap = new Float64Array(dealers);
  const activeGamma = new Float64Array(dealers);
  const table = new Float64Array(4 * SERIES);
  for (let s = 0; s < SERIES; s++) {
    table[4 * s + 1] = 50 * uniform();
    table[4 * s + 2] = 2 * uniform() - 1;
    table[4 * s + 3] = 0.01 * uniform();
  }
  for (let d = 0; d < dealers; d++) {
    const r = d * RECORD;
    let book = 0;
    let bookDelta = 0;
    for (let j = 0; j < POSITIONS; j++) {
      const s = Math.floor(uniform() * SERIES);
      const pos = (uniform() < 0.5 ? -1 : 1) * Math.exp(0.5 * normal());
      ids[r * 4 + j] = s;
      rec[r + POS + j] = pos;
      book += Math.abs(pos);
      bookDelta += pos * table[4 * s + 2];
    }
    rec[r + HEDGE] = -bookDelta;
    rec[r + BAND] = 0.02 * book * (0.5 + uniform());
    rec[r + RATE] = 0.5 * (0.5 + uniform());
    rec[r + CAPITAL] = 1e4 * (0.5 + uniform());
  }
  let sink = 0;
  const times: number[] = [];
  let active = 0;
  let flow = 0;
  let slope = 0;
  let reach = 0;
  /** Dealer d (record r) against its band at the trial in the table: the engine's `bandTest`. */
  const bandTest = (d: number, r: number): void => {
    let delta = 0;
    let gamma = 0;
    for (let j = 0; j < POSITIONS; j++) {
      const p = rec[r + POS + j];
      const row = 4 * ids[r * 4 + j];
      delta += p * table[row + 2];
      gamma += p * table[row + 3];
    }
    const gap = -delta - rec[r + HEDGE];
    if (Math.abs(gap) > rec[r + BAND]) {
      const rate = rec[r + RATE];
      flow += rate * gap;
      slope -= rate * gamma;
      reach +=
        rate *
        (Math.abs(rec[r + POS]) + Math.abs(rec[r + POS + 1]) + Math.abs(rec[r + POS + 2]) + Math.abs(rec[r + POS + 3]));
      actives[active] = d;
      activeGap[active] = gap;
      activeGamma[active] = gamma;
      active++;
    }
  };
  for (let t = 0; t < ticks; t++) {
    for (let s = 0; s < SERIES; s++) {
      table[4 * s] += 0.01 * normal();
      table[4 * s + 2] += 0.002 * normal();
    }
    const t0 = performance.now();
    // Mark every book at the open (count those past their loss limit and short vega) and test
    // every dealer against its band at the first trial price, in one pass.
    let stressed = 0;
    active = 0;
    flow = slope = reach = 0;
    for (let d = 0; d < dealers; d++) {
      const r = d * RECORD;
      let value = 0;
      let vega = 0;
      for (let j = 0; j < POSITIONS; j++) {
        const p = rec[r + POS + j];
        const row = 4 * ids[r * 4 + j];
        value += p * table[row];
        vega += p * table[row + 1];
      }
      if (rec[r + CASH] + value + rec[r + HEDGE] * 0.5 < -0.1 * rec[r + CAPITAL] && vega < 0) stressed++;
      bandTest(d, r);
    }
    sink += flow + slope + reach;
    // The second trial price.
    for (let s = 0; s < SERIES; s++) table[4 * s + 2] += 1e-4;
    active = 0;
    flow = slope = reach = 0;
    for (let d = 0; d < dealers; d++) bandTest(d, d * RECORD);
    sink += flow + slope + reach;
    // Trade the dealers out of their band.
    for (let k = 0; k < active; k++) {
      const r = actives[k] * RECORD;
      const trade = rec[r + RATE] * (activeGap[k] - activeGamma[k] * 0.001);
      rec[r + HEDGE] += trade;
      rec[r + CASH] -= trade * 0.5;
    }
    times.push(performance.now() - t0);
    sink += stressed;
  }
  if (!Number.isFinite(sink)) throw new Error('the plain-JS dealer loop went non-finite');
  const sorted = times.sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
