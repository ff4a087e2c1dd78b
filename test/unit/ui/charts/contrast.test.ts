/**
 * Every colour the charts draw data with — lines, bars, areas, dots — has at least 3:1 contrast
 * on the chart's surface in both themes (WCAG 2.1, 1.4.11 non-text contrast), read straight from
 * the palette in src/ui/app.css. The shock band and the halt shading are backgrounds behind the
 * data, not data, and are left out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { contrastRatio as contrast } from '../../../../src/ui/charts/contrast.ts';

const CSS = readFileSync(new URL('../../../../src/ui/app.css', import.meta.url), 'utf8');

/** The light and dark values of a variable of the root palette. */
function themes(name: string): [string, string] {
  const match = new RegExp(`--${name}:\\s*([^;]+);`).exec(CSS);
  if (!match) throw new Error(`--${name} is not in app.css`);
  const value = match[1].trim();
  const pair = /^light-dark\(\s*(#[0-9a-f]{6})\s*,\s*(#[0-9a-f]{6})\s*\)$/i.exec(value);
  if (pair) return [pair[1], pair[2]];
  if (/^#[0-9a-f]{6}$/i.test(value)) return [value, value];
  throw new Error(`--${name}: cannot read ${value}`);
}

const DATA_COLOURS = [
  'c-price',
  'c-ghost',
  'c-oracle',
  'c-fair',
  'c-pool',
  'c-flip',
  'c-history',
  'c-implied',
  'c-long',
  'c-short',
  'c-lending',
  'c-adl',
  'c-deleverage',
  'c-gex-pos',
  'c-gex-neg',
  'c-amplify',
  'c-damp',
  'c-b',
  'c-peg',
  'c-supply',
  'c-token',
];

describe('chart colours', () => {
  const [lightSurface, darkSurface] = themes('surface');
  test.each(DATA_COLOURS)('--%s has 3:1 contrast on the surface in both themes', (name) => {
    const [light, dark] = themes(name);
    expect(contrast(light, lightSurface), `${name} on the light surface`).toBeGreaterThanOrEqual(3);
    expect(contrast(dark, darkSurface), `${name} on the dark surface`).toBeGreaterThanOrEqual(3);
  });

  test('the contrast arithmetic matches WCAG\u2019s examples', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#e69f00', '#ffffff')).toBeLessThan(3);
  });
});
