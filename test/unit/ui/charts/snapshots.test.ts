/**
 * Every chart as a golden file (after Observable Plot's snapshot tests): each chart component is
 * rendered without a browser (svelte/server) from fixed data, test/fixtures/charts/runs.json,
 * at a fixed width, and its plot's SVG is compared with test/snapshots/<name>.svg. A change to
 * a chart shows up as a diff of that file in review. The data is committed, never computed by
 * the engine here, so a change to the model does not move these files.
 *
 * `UPDATE_SNAPSHOTS=1 npm test` rewrites the golden files (then read the diff before committing).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Component } from 'svelte';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { Params } from '../../../../src/model/schema.ts';
import type { Series } from '../../../../src/model/series.ts';
import { summarize } from '../../../../src/model/summary.ts';
import type { Snapshot } from '../../../../src/sim/frames.ts';
import DealerVegaChart from '../../../../src/ui/charts/DealerVegaChart.svelte';
import FeedbackLoopDiagram from '../../../../src/ui/charts/FeedbackLoopDiagram.svelte';
import GammaProfileChart from '../../../../src/ui/charts/GammaProfileChart.svelte';
import GexChart from '../../../../src/ui/charts/GexChart.svelte';
import HeatmapChart from '../../../../src/ui/charts/HeatmapChart.svelte';
import InsurersChart from '../../../../src/ui/charts/InsurersChart.svelte';
import StablecoinChart from '../../../../src/ui/charts/StablecoinChart.svelte';
import SupplyChart from '../../../../src/ui/charts/SupplyChart.svelte';
import LiquidationMapChart from '../../../../src/ui/charts/LiquidationMapChart.svelte';
import LiquidationsChart from '../../../../src/ui/charts/LiquidationsChart.svelte';
import PriceChart from '../../../../src/ui/charts/PriceChart.svelte';
import VolatilityChart from '../../../../src/ui/charts/VolatilityChart.svelte';
import { FIXED_WIDTH } from '../../../../src/ui/charts/width.ts';
import type { RunView } from '../../../../src/ui/run.svelte.ts';
import { newSweep } from '../../../../src/model/sweep.ts';
import { bands } from '../../../../src/model/ensemble.ts';

const SNAPSHOTS = new URL('../../../snapshots/', import.meta.url);
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
/** The width every chart is drawn at: a chart of the page's two-column grid at 1366 px. */
const WIDTH = 600;

interface FixtureRun {
  params: Params;
  columns: Record<string, number[]>;
  snapshots: (Omit<Snapshot, SnapshotArray> & Record<SnapshotArray, number[]>)[];
}
type SnapshotArray = 'profilePrices' | 'profileGex' | 'mapEdges' | 'mapLong' | 'mapShort' | 'mapLending';
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/charts/runs.json', import.meta.url), 'utf8')) as {
  a: FixtureRun;
  b: FixtureRun;
  c: FixtureRun;
  sweep: { results: number[] };
};

/** A finished run as the page holds it. */
function view({ params, columns, snapshots }: FixtureRun): RunView {
  const series = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)])) as Series;
  return {
    runId: 1,
    params,
    ticks: params.ticks,
    tick: params.ticks,
    columns: series,
    summary: summarize(series, params),
    status: 'done',
    snapshots: snapshots.map((s) => ({
      ...s,
      profilePrices: Float64Array.from(s.profilePrices),
      profileGex: Float64Array.from(s.profileGex),
      mapEdges: Float64Array.from(s.mapEdges),
      mapLong: Float64Array.from(s.mapLong),
      mapShort: Float64Array.from(s.mapShort),
      mapLending: Float64Array.from(s.mapLending),
    })),
  };
}

const a = view(fixture.a);
const b = view(fixture.b);
const c = view(fixture.c);
const ticks = a.ticks;
/** Scrubbed back, so the cursor and its dots are drawn too. */
const at = 150;
const shock = { start: a.params.shockStart, end: a.params.shockStart + a.params.shockTicks };
/** An ensemble's fan from the two fixture runs (and each one's counterfactual). */
const fan = {
  price: bands([a.columns.price, b.columns.price]),
  cfPrice: bands([a.columns.cfPrice, b.columns.cfPrice]),
  runs: 2,
};

/** The plot's SVG of a chart's server render: no hydration markers, no style hashes, one element a line. */
function plotSvg(body: string): string {
  const start = body.indexOf('<svg', body.indexOf('class="plot'));
  const end = body.indexOf('</svg>', start);
  if (start < 0 || end < 0) throw new Error('the chart drew no plot');
  const svg = body
    .slice(start, end + '</svg>'.length)
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/ ?\bsvelte-[a-z0-9]+\b/g, '')
    .replace(/ class=""/g, '')
    .replace(/<(\w+)([^>]*)><\/\1>/g, '<$1$2/>');
  let depth = 0;
  return `${svg
    .replace(/>\s*</g, '>\n<')
    .split('\n')
    .map((line) => {
      if (line.startsWith('</')) depth--;
      const out = `${'  '.repeat(Math.max(0, depth))}${line}`;
      if (!line.startsWith('</') && !line.endsWith('/>') && !/<\/[^>]+>$/.test(line)) depth++;
      return out;
    })
    .join('\n')}\n`;
}

/** Any chart component: the table below pairs each with props of its own type. */
type Chart = Component<Record<string, unknown>>;

function expectSnapshot(name: string, chart: Chart, props: Record<string, unknown>): void {
  const { body } = render(chart, { props, context: new Map([[FIXED_WIDTH, WIDTH]]) });
  const svg = plotSvg(body);
  const file = new URL(`${name}.svg`, SNAPSHOTS);
  if (UPDATE || !existsSync(file)) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, svg);
    if (!UPDATE) throw new Error(`wrote the missing golden file test/snapshots/${name}.svg: check it, then run again`);
    return;
  }
  // Not toBe on the whole text: a failure names the first line that differs, not a page of SVG.
  const expected = readFileSync(file, 'utf8').split('\n');
  const actual = svg.split('\n');
  const first = actual.findIndex((line, i) => line !== expected[i]);
  const same = first < 0 && actual.length === expected.length;
  const line = first < 0 ? Math.min(actual.length, expected.length) : first;
  const cut = (text = ''): string => (text.length > 160 ? `${text.slice(0, 160)}…` : text);
  expect(
    same
      ? 'same'
      : `test/snapshots/${name}.svg differs at line ${line + 1}:\n  want ${cut(expected[line])}\n  got  ${cut(actual[line])}\n(UPDATE_SNAPSHOTS=1 npm test rewrites it)`,
  ).toBe('same');
}

describe('chart snapshots', () => {
  it.each([
    ['price', PriceChart, { run: a, at, ticks, shock }],
    ['price-compare', PriceChart, { run: a, b, at, ticks, shock }],
    ['price-fan', PriceChart, { run: a, at, ticks, shock, fan }],
    ['feedback-loops', FeedbackLoopDiagram, { run: a, at }],
    ['liquidations', LiquidationsChart, { run: a, b, at, ticks }],
    ['liquidation-map', LiquidationMapChart, { run: a, b, at }],
    ['gex', GexChart, { run: a, b, at, ticks }],
    ['gamma-profile', GammaProfileChart, { run: a, b, at }],
    ['volatility', VolatilityChart, { run: a, b, at, ticks }],
    ['dealer-vega', DealerVegaChart, { run: a, b, at, ticks }],
    ['feedback-loops-sellers', FeedbackLoopDiagram, { run: c, at }],
    ['stablecoin-peg', StablecoinChart, { run: c, at, ticks }],
    ['stablecoin-supply', SupplyChart, { run: c, at, ticks }],
    ['insurers', InsurersChart, { run: c, at, ticks }],
    [
      'price-log',
      PriceChart,
      { run: c, at, ticks, shock: { start: c.params.shockStart, end: c.params.shockStart + c.params.shockTicks } },
    ],
    ['liquidations-empty', LiquidationsChart, { run: c, at, ticks }],
  ] as const)('%s', (name, chart, props) => expectSnapshot(name, chart as unknown as Chart, props));

  it('stress-map', () => {
    const sweep = newSweep({ key: 'leverage', range: [2, 30] }, { key: 'gex', range: [-1, 1] }, 4, a.params);
    sweep.results = fixture.sweep.results;
    sweep.done = sweep.results.length;
    sweep.status = 'done';
    expectSnapshot('stress-map', HeatmapChart as unknown as Chart, {
      sweep,
      params: a.params,
      onchoose: () => undefined,
    });
  });

  it('stress-map-cascade', () => {
    const sweep = newSweep({ key: 'leverage', range: [2, 30] }, { key: 'gex', range: [-1, 1] }, 4, a.params, {
      seeds: [1, 2, 3, 4],
      metric: 'cascade',
    });
    // Shares of four seeds, from the fixture's multipliers.
    sweep.results = fixture.sweep.results.map((m) => Math.min(4, Math.max(0, Math.round(2 * (m - 1)))) / 4);
    sweep.done = 4 * sweep.results.length;
    sweep.status = 'done';
    expectSnapshot('stress-map-cascade', HeatmapChart as unknown as Chart, {
      sweep,
      params: a.params,
      onchoose: () => undefined,
    });
  });
});
