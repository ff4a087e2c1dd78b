/**
 * The charts of a run, by the id a link uses (`charts=` of the widget), in the page's reading
 * order: the ONE list the page's chart grid (src/ui/ChartGrid.svelte), the widget
 * (src/embed/Embed.svelte, `charts=`) and the Embed dialog's checkboxes all go by. A chart is
 * added here and in src/ui/charts/catalog.ts (its component and the mechanisms it needs), whose
 * type asks for one entry for every id here, so the page and the widget cannot drift apart.
 */

/** Each chart's id, as a link writes it, and what it shows, in a few words. */
// One row a chart; add rows, keep them one a line.
// prettier-ignore
export const RUN_CHARTS = [
  { id: 'price', title: 'Price, with the counterfactual' },
  { id: 'loops', title: 'The feedback loops, now' },
  { id: 'stablecoin', title: 'Stablecoin peg' },
  { id: 'supply', title: 'Stablecoin and token supply' },
  { id: 'insurers', title: 'Portfolio insurers’ trades' },
  { id: 'liquidations', title: 'Liquidations per tick' },
  { id: 'liquidationMap', title: 'Liquidation map' },
  { id: 'gex', title: 'Dealer gamma exposure (GEX)' },
  { id: 'gammaProfile', title: 'Gamma profile' },
  { id: 'dealerVega', title: 'Dealer vega' },
  { id: 'volatility', title: 'Realized and implied volatility' },
] as const;

export type RunChart = (typeof RUN_CHARTS)[number]['id'];

/** The charts that sit in the page's grid below the price chart and the loops: every one a chart over time. */
export type GridChart = Exclude<RunChart, 'price' | 'loops'>;

export const RUN_CHART_IDS: readonly RunChart[] = RUN_CHARTS.map((c) => c.id);

/** What a chart shows, by its id. */
export const CHART_TITLES = Object.fromEntries(RUN_CHARTS.map((c) => [c.id, c.title])) as Record<RunChart, string>;
