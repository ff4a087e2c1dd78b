/** The props every chart of a run over time takes. */
import type { RunView } from '../run.svelte.ts';

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
