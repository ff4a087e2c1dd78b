/**
 * The fan's geometry, as pure functions (FanLayer.svelte draws it): a band between two columns
 * reduced to about one point per pixel column of the plot, each spanning the lowest `lo` and the
 * highest `hi` of the ticks it covers, so a band of a 20,000-tick run is a path of a few hundred
 * points (not tens of thousands) and still covers every tick's range.
 */

/** A band's outline: at each of `ticks`, the band spans `lo` to `hi`. */
export interface BandOutline {
  ticks: number[];
  lo: number[];
  hi: number[];
}

/**
 * The band between `lo` and `hi` over ticks 0..upTo, drawn `pixels` wide: every tick when two a
 * pixel or fewer, else one point at the start of each pixel column (and one at the last tick)
 * spanning the column's lowest `lo` and highest `hi`.
 */
export function bandOutline(lo: ArrayLike<number>, hi: ArrayLike<number>, upTo: number, pixels: number): BandOutline {
  const n = upTo + 1;
  const out: BandOutline = { ticks: [], lo: [], hi: [] };
  if (n <= 0) return out;
  if (n <= 2 * pixels) {
    for (let t = 0; t < n; t++) {
      out.ticks.push(t);
      out.lo.push(lo[t]);
      out.hi.push(hi[t]);
    }
    return out;
  }
  const per = n / pixels;
  let lastLo = lo[n - 1];
  let lastHi = hi[n - 1];
  for (let b = 0; b < pixels; b++) {
    const start = Math.floor(b * per);
    const end = Math.min(n, Math.floor((b + 1) * per));
    if (start >= end) continue;
    let min = lo[start];
    let max = hi[start];
    for (let t = start + 1; t < end; t++) {
      if (lo[t] < min) min = lo[t];
      if (hi[t] > max) max = hi[t];
    }
    out.ticks.push(start);
    out.lo.push(min);
    out.hi.push(max);
    lastLo = min;
    lastHi = max;
  }
  out.ticks.push(n - 1);
  out.lo.push(lastLo);
  out.hi.push(lastHi);
  return out;
}

/** The lowest and highest value of the given columns (finite values only), or undefined when none is finite. */
export function valueRange(columns: readonly ArrayLike<number>[]): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const column of columns)
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  return min <= max ? [min, max] : undefined;
}
