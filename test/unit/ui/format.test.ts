/** Axis labels of prices (src/ui/format.ts): distinct, and printed alike along one axis. */
import { describe, expect, test } from 'vitest';
import { distinctTicks, formatPrice, formatPriceTick } from '../../../src/ui/format.ts';

describe('price axis labels', () => {
  test('an evenly spaced axis prints every price alike: whole dollars or cents, never a mix', () => {
    // The gamma profile of defi-contagion read "$80.00 $100 $120"; the peg "$1.00 $0.8".
    expect(distinctTicks([80, 100, 120, 140], formatPrice)).toEqual(['$80', '$100', '$120', '$140']);
    expect(distinctTicks([0, 0.2, 0.4, 0.6, 0.8, 1, 1.2], formatPriceTick)).toEqual([
      '$0.00',
      '$0.20',
      '$0.40',
      '$0.60',
      '$0.80',
      '$1.00',
      '$1.20',
    ]);
    expect(distinctTicks([2800, 2900, 3000], formatPriceTick)).toEqual(['$2,800', '$2,900', '$3,000']);
  });

  test('a log axis keeps each label short: cents down to a cent, then powers of ten', () => {
    expect(distinctTicks([1e-4, 1e-3, 0.01, 0.1, 1, 10, 100], formatPriceTick)).toEqual([
      '$1e−4',
      '$1e−3',
      '$0.01',
      '$0.10',
      '$1.00',
      '$10.00',
      '$100',
    ]);
  });

  test('labels that would print alike get the precision the step needs', () => {
    const labels = distinctTicks([0.98, 0.985, 0.99, 0.995, 1], formatPriceTick);
    expect(new Set(labels).size).toBe(5);
  });
});
