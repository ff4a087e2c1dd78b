/**
 * The frame protocol: what the simulation worker sends the page while a run plays.
 *
 * A frame carries only the ticks simulated since the previous frame, and only the columns the
 * page draws, packed into one Float64Array so a single buffer is transferred (not copied). The
 * page appends each frame's slice to its own copy of the columns and renders the newest state
 * once per animation frame. A frame also carries the running summary, computed by the worker
 * from the full series, so the page never needs columns it does not draw.
 */
import type { SeriesKey } from '../model/series.ts';
import type { Summary } from '../model/summary.ts';

/** The columns a frame carries, in this order. A chart that needs another column adds it here. */
export const FRAME_KEYS = ['price', 'cfPrice', 'oracle', 'gex', 'liqLong', 'liqShort'] as const satisfies readonly SeriesKey[];

export type FrameKey = (typeof FRAME_KEYS)[number];

/** Where the worker's run stands. */
export type RunStatus = 'paused' | 'playing' | 'done';

export interface Frame {
  /** Increases with every new run (start, reset, replay); a frame of an older run is stale. */
  runId: number;
  /** Length of the run in ticks; columns have `ticks + 1` entries (tick 0 is the start). */
  ticks: number;
  /** First tick in `data`. A run's first frame has `from = 0`. */
  from: number;
  /** Last tick in `data`, the tick the engine has reached; `to = from - 1` for a status-only frame. */
  to: number;
  /** `FRAME_KEYS.length` slices of `to - from + 1` values each, one column after another. */
  data: Float64Array;
  /** Summary of ticks 0..to of the run. */
  summary: Summary;
  status: RunStatus;
}

/** The slice of one column inside a frame's packed data (a view, not a copy). */
export function frameColumn(frame: Frame, key: FrameKey): Float64Array {
  const n = frame.to - frame.from + 1;
  const k = FRAME_KEYS.indexOf(key);
  return frame.data.subarray(k * n, (k + 1) * n);
}
