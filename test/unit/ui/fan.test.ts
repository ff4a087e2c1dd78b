/** The fan's geometry (src/ui/ensemble/fan.ts): a band reduced to about a point a pixel still covers every tick. */
import { describe, expect, it } from 'vitest';
import { bandOutline, valueRange } from '../../../src/ui/ensemble/fan.ts';

/** A wiggly band: lo below hi at every tick, with spikes. */
function band(n: number): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const mid = 100 + 10 * Math.sin(t / 37) + (t % 97 === 0 ? 25 : 0) - (t % 89 === 0 ? 30 : 0);
    lo[t] = mid - 2 - (t % 5);
    hi[t] = mid + 3 + (t % 7);
  }
  return { lo, hi };
}

describe('bandOutline', () => {
  it('keeps every tick when there are at most two a pixel', () => {
    const { lo, hi } = band(50);
    const outline = bandOutline(lo, hi, 49, 30);
    expect(outline.ticks).toEqual(Array.from({ length: 50 }, (_, t) => t));
    expect(outline.lo).toEqual(Array.from(lo));
    expect(outline.hi).toEqual(Array.from(hi));
  });

  it('reduces a long band to about a point a pixel that spans every tick of its column, from the first tick to the last', () => {
    const n = 20_001;
    const { lo, hi } = band(n);
    const pixels = 800;
    const outline = bandOutline(lo, hi, n - 1, pixels);
    expect(outline.ticks.length).toBeLessThanOrEqual(pixels + 1);
    expect(outline.ticks[0]).toBe(0);
    expect(outline.ticks.at(-1)).toBe(n - 1);
    for (let k = 0; k + 1 < outline.ticks.length; k++) {
      expect(outline.ticks[k + 1]).toBeGreaterThan(outline.ticks[k]);
      // Every tick up to the next point lies inside this point's span.
      for (let t = outline.ticks[k]; t < outline.ticks[k + 1]; t++) {
        expect(outline.lo[k]).toBeLessThanOrEqual(lo[t]);
        expect(outline.hi[k]).toBeGreaterThanOrEqual(hi[t]);
      }
    }
    // And no wider than the ticks it covers: each span is some tick's value.
    for (let k = 0; k < outline.ticks.length - 1; k++) {
      expect(Array.from(lo)).toContain(outline.lo[k]);
      expect(Array.from(hi)).toContain(outline.hi[k]);
    }
  });

  it('draws only the ticks run so far', () => {
    const { lo, hi } = band(5000);
    const outline = bandOutline(lo, hi, 2999, 100);
    expect(outline.ticks.at(-1)).toBe(2999);
    expect(Math.min(...outline.lo)).toBe(Math.min(...lo.subarray(0, 3000)));
    expect(Math.max(...outline.hi)).toBe(Math.max(...hi.subarray(0, 3000)));
  });
});

describe('valueRange', () => {
  it('is the lowest and highest value of the columns, undefined for none', () => {
    expect(valueRange([Float64Array.of(3, 1, 2), Float64Array.of(5, -1)])).toEqual([-1, 5]);
    expect(valueRange([new Float64Array(0)])).toBeUndefined();
  });
});
