/**
 * The plain-JavaScript baseline of the benchmark's dealer loop: the engine's unscreened loop
 * (assembly/dealers.ts with the screens off) written in plain TypeScript on the same layout —
 * structure of arrays, four positions a dealer, u16 series ids, per-series tables of interleaved
 * pairs — and doing the same passes a tick: mark every book (Σ position × cumulative change and
 * × vega, the loss-limit test), two trial prices (Σ position × delta and × gamma, the band test,
 * flow, slope and reach), then trade the dealers out of their band. The books are drawn the way
 * the engine draws them (sizes lognormal, bands a share of the book); the series' Greeks drift a
 * little each tick, so a few dealers leave their band, as in a quiet run.
 */

const POSITIONS = 4;
const SERIES = 60;

/** Median ms a tick of `ticks` ticks for `dealers` dealers. */
export function plainDealerLoop(dealers: number, ticks: number): number {
  let seed = 12345;
  const uniform = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const series = new Uint16Array(dealers * POSITIONS);
  const position = new Float64Array(dealers * POSITIONS);
  const hedge = new Float64Array(dealers);
  const cash = new Float64Array(dealers);
  const band = new Float64Array(dealers);
  const rate = new Float64Array(dealers);
  const capital = new Float64Array(dealers);
  const actives = new Int32Array(dealers);
  const activeGap = new Float64Array(dealers);
  const activeGamma = new Float64Array(dealers);
  const marks = new Float64Array(2 * SERIES);
  const packed = new Float64Array(2 * SERIES);
  for (let s = 0; s < SERIES; s++) {
    packed[2 * s] = 2 * uniform() - 1;
    packed[2 * s + 1] = 0.01 * uniform();
    marks[2 * s + 1] = 50 * uniform();
  }
  for (let d = 0; d < dealers; d++) {
    let book = 0;
    let bookDelta = 0;
    for (let j = 0; j < POSITIONS; j++) {
      const s = Math.floor(uniform() * SERIES);
      const pos = (uniform() < 0.5 ? -1 : 1) * Math.exp(0.5 * normal());
      series[d * POSITIONS + j] = s;
      position[d * POSITIONS + j] = pos;
      book += Math.abs(pos);
      bookDelta += pos * packed[2 * s];
    }
    hedge[d] = -bookDelta;
    band[d] = 0.02 * book * (0.5 + uniform());
    rate[d] = 0.5 * (0.5 + uniform());
    capital[d] = 1e4 * (0.5 + uniform());
  }
  let sink = 0;
  const times: number[] = [];
  for (let t = 0; t < ticks; t++) {
    for (let s = 0; s < SERIES; s++) {
      marks[2 * s] += 0.01 * normal();
      packed[2 * s] += 0.002 * normal();
    }
    const t0 = performance.now();
    // Mark every book at the open; count those past their loss limit and short vega.
    let stressed = 0;
    for (let d = 0; d < dealers; d++) {
      const base = d * POSITIONS;
      let value = 0;
      let vega = 0;
      for (let j = 0; j < POSITIONS; j++) {
        const p = position[base + j];
        const s = series[base + j];
        value += p * marks[2 * s];
        vega += p * marks[2 * s + 1];
      }
      if (cash[d] + value + hedge[d] * 0.5 < -0.1 * capital[d] && vega < 0) stressed++;
    }
    // Two trial prices: the band test of every dealer.
    let active = 0;
    for (let pass = 0; pass < 2; pass++) {
      let flow = 0;
      let slope = 0;
      let reach = 0;
      active = 0;
      for (let d = 0; d < dealers; d++) {
        const base = d * POSITIONS;
        let delta = 0;
        let gamma = 0;
        for (let j = 0; j < POSITIONS; j++) {
          const p = position[base + j];
          const s = series[base + j];
          delta += p * packed[2 * s];
          gamma += p * packed[2 * s + 1];
        }
        const gap = -delta - hedge[d];
        if (Math.abs(gap) > band[d]) {
          const r = rate[d];
          flow += r * gap;
          slope -= r * gamma;
          reach +=
            r *
            (Math.abs(position[base]) +
              Math.abs(position[base + 1]) +
              Math.abs(position[base + 2]) +
              Math.abs(position[base + 3]));
          actives[active] = d;
          activeGap[active] = gap;
          activeGamma[active] = gamma;
          active++;
        }
      }
      sink += flow + slope + reach;
    }
    // Trade the dealers out of their band.
    for (let k = 0; k < active; k++) {
      const d = actives[k];
      const trade = rate[d] * (activeGap[k] - activeGamma[k] * 0.001);
      hedge[d] += trade;
      cash[d] -= trade * 0.5;
    }
    times.push(performance.now() - t0);
    sink += stressed;
  }
  if (!Number.isFinite(sink)) throw new Error('the plain-JS dealer loop went non-finite');
  const sorted = times.sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
