/**
 * The frame protocol: what the simulation worker sends the page while a run plays.
 *
 * A frame carries only the ticks simulated since the previous frame, packed into one
 * Float64Array (every series column, in `SERIES_KEYS` order) so a single buffer is transferred,
 * not copied. Every column travels, so a column the engine gains appears on the page (and in its
 * exports) without a change here. The page appends each frame's slice to its own copy of the
 * columns and renders the newest state once per animation frame.
 *
 * A frame may also carry *snapshots* of the market's state that the series do not record: the
 * gamma profile and the liquidation map at the frame's tick. The worker takes them a few times a
 * second (and at every pause, step and run end); the page keeps them all, so scrubbing back
 * shows the newest snapshot at or before the scrubbed tick.
 */
import type { Params } from '../model/schema.ts';
import { SERIES_KEYS, type SeriesKey } from '../model/series.ts';
import type { Summary } from '../model/summary.ts';

/** Default playback: 60 ticks (simulated minutes) a second, so a 12-hour run plays in 12 s. */
export const DEFAULT_TICKS_PER_SECOND = 60;

/** The columns a frame carries, in this order: all of them. */
export const FRAME_KEYS: readonly SeriesKey[] = SERIES_KEYS;

/** Where the worker's run stands. */
export type RunStatus = 'paused' | 'playing' | 'done';

/** The snapshot grids span spot × [1 − GRID_SPAN, 1 + GRID_SPAN]: the gamma profile at PROFILE_POINTS prices, the liquidation map in MAP_BUCKETS buckets. */
const GRID_SPAN = 0.3;
export const PROFILE_POINTS = 61;
export const MAP_BUCKETS = 80;

/** `n` evenly spaced prices over spot × [1 − GRID_SPAN, 1 + GRID_SPAN]. */
export function priceGrid(spot: number, n: number): Float64Array {
  const grid = new Float64Array(n);
  for (let i = 0; i < n; i++) grid[i] = spot * (1 - GRID_SPAN + (2 * GRID_SPAN * i) / (n - 1));
  return grid;
}

/** State of the market at one tick that no series column holds. */
export interface Snapshot {
  tick: number;
  /** The price the grids are centred on (the traded price at `tick`). */
  spot: number;
  /** Hypothetical prices (ascending) and the dealers' GEX per 1% move if spot were each. */
  profilePrices: Float64Array;
  profileGex: Float64Array;
  /** Bucket edges (ascending, one more than buckets) and the notional of live accounts whose liquidation price falls in each. */
  mapEdges: Float64Array;
  mapLong: Float64Array;
  mapShort: Float64Array;
  /** The collateral of open loans (valued at their liquidation price) in each bucket: the lending part of the map. */
  mapLending: Float64Array;
}

export interface Frame {
  /** Increases with every new run (start, reset, replay); a frame of an older run is stale. */
  runId: number;
  /** The parameters of the run, so the page knows which run a summary belongs to: in a run's first frame only (`from = 0`). */
  params?: Params;
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
  /** Snapshots taken since the previous frame, oldest first (often none). */
  snapshots: Snapshot[];
}

/** Where each column sits in a frame's packed data. */
const FRAME_INDEX: ReadonlyMap<SeriesKey, number> = new Map(FRAME_KEYS.map((key, k) => [key, k]));

/** The slice of one column inside a frame's packed data (a view, not a copy). */
export function frameColumn(frame: Frame, key: SeriesKey): Float64Array {
  const n = frame.to - frame.from + 1;
  const k = FRAME_INDEX.get(key)!;
  return frame.data.subarray(k * n, (k + 1) * n);
}

/** The buffers of a frame, to hand to `Comlink.transfer`. */
export function frameBuffers(frame: Frame): Transferable[] {
  const buffers: Transferable[] = [frame.data.buffer];
  for (const s of frame.snapshots)
    buffers.push(
      s.profilePrices.buffer,
      s.profileGex.buffer,
      s.mapEdges.buffer,
      s.mapLong.buffer,
      s.mapShort.buffer,
      s.mapLending.buffer,
    );
  return buffers;
}
