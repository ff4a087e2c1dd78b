/**
 * The charts of the page's grid, by their id in src/state/charts.ts (the one list of a run's
 * charts, which the widget's `charts=` reads too): each one's component, the name the grid gives
 * its cell (`data-chart`, what "not charted" notes call it), and the mechanisms that give it
 * something to show (any one of them; none: every run has it). The `Record` type asks for every
 * id of that list, so a chart added there without an entry here fails `npm run check`.
 */
import type { Component } from 'svelte';
import type { GridChart } from '../../state/charts.ts';
import type { Mechanism } from '../mechanisms.ts';
import DealerVegaChart from './DealerVegaChart.svelte';
import GammaProfileChart from './GammaProfileChart.svelte';
import GexChart from './GexChart.svelte';
import InsurersChart from './InsurersChart.svelte';
import LiquidationMapChart from './LiquidationMapChart.svelte';
import LiquidationsChart from './LiquidationsChart.svelte';
import StablecoinChart from './StablecoinChart.svelte';
import SupplyChart from './SupplyChart.svelte';
import VolatilityChart from './VolatilityChart.svelte';
import type { TimeChartProps } from './props.ts';

export interface GridChartEntry {
  name: string;
  chart: Component<TimeChartProps>;
  needs?: readonly Mechanism[];
}

// prettier-ignore
export const GRID_CHARTS: Readonly<Record<GridChart, GridChartEntry>> = {
  stablecoin: { name: 'stablecoin peg', chart: StablecoinChart, needs: ['stablecoin'] },
  supply: { name: 'stablecoin supply', chart: SupplyChart, needs: ['stablecoin'] },
  insurers: { name: 'insurers', chart: InsurersChart, needs: ['insurers'] },
  liquidations: { name: 'liquidations', chart: LiquidationsChart, needs: ['perps', 'lending'] },
  liquidationMap: { name: 'liquidation map', chart: LiquidationMapChart, needs: ['perps', 'lending'] },
  gex: { name: 'GEX', chart: GexChart, needs: ['dealers', 'amm'] },
  gammaProfile: { name: 'gamma profile', chart: GammaProfileChart, needs: ['dealers', 'amm'] },
  dealerVega: { name: 'dealer vega', chart: DealerVegaChart, needs: ['dealers', 'amm'] },
  volatility: { name: 'volatility', chart: VolatilityChart },
};

/** Whether a run with these mechanisms has something for a chart that needs `needs` to show. */
export function chartHasData(needs: readonly Mechanism[] | undefined, mechanisms: ReadonlySet<Mechanism>): boolean {
  return !needs || needs.some((m) => mechanisms.has(m));
}
