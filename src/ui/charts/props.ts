/** The props charts share: a chart's figure, every chart of a run over time, every snapshot chart. */
import type { RunView } from '../run.svelte.ts';
import type { LegendItem } from './legend.ts';

/** What a chart's figure shows around the plot (ChartFigure.svelte), and `data-*` attributes for tests. */
export interface FigureProps {
  title: string;
  /** File name stem of the downloads. */
  name: string;
  /** One line on how to read the chart. */
  note: string;
  /** The optional "Why it matters" paragraph. */
  more?: string;
  legend: LegendItem[];
  [data: `data-${string}`]: string | number | boolean | undefined;
}

export interface TimeChartProps {
  /** Run A (the only run outside the compare mode). */
  run: RunView;
  /** Run B, in compare mode only. */
  b?: RunView;
  /** The cursor tick. */
  at: number;
  /** The x domain: the longer run's length in ticks. */
  ticks: number;
  /** Pixels. */
  height?: number;
}

/** The props of a chart of the market's state at the cursor (a snapshot), over price: no time axis. */
export type SnapshotChartProps = Omit<TimeChartProps, 'ticks'>;

/** One series' value at the tick (or price) under the pointer, in a chart's readout. */
export interface ReadoutRow {
  label: string;
  /** Already formatted. */
  value: string;
  /** A CSS colour (the series' own). */
  color: string;
}
