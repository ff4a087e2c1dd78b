/**
 * The page's copy of a run that is playing. Frames from the worker are merged into plain
 * typed-array columns the moment they arrive (a cheap copy, never a render); what the charts
 * see, `view`, changes at most once per animation frame, to the newest state.
 */
import { defaultParams, type Params } from '../model/schema.ts';
import type { Series } from '../model/series.ts';
import { summarize, type Summary } from '../model/summary.ts';
import { FRAME_KEYS, frameColumn, type Frame, type RunStatus, type Snapshot } from '../sim/frames.ts';

/**
 * Where the run shown stands: the worker's status, or, while its worker is being replaced after
 * a fault, `recovering`, and `stopped` when it failed too often (src/sim/client.ts).
 */
export type ShownStatus = RunStatus | 'recovering' | 'stopped';

/** Every column of a run, `ticks + 1` entries each; entries past `tick` are not yet known. */
export type Columns = Readonly<Series>;

export interface RunView {
  runId: number;
  params: Params;
  ticks: number;
  /** Last tick received. */
  tick: number;
  columns: Columns;
  /** Summary of ticks 0..tick; undefined before the first frame. */
  summary: Summary | undefined;
  status: ShownStatus;
  /** Gamma profile and liquidation map snapshots, oldest first. */
  snapshots: readonly Snapshot[];
}

function emptyRun(runId: number, ticks: number, params: Params): RunView {
  const columns = Object.fromEntries(FRAME_KEYS.map((key) => [key, new Float64Array(ticks + 1)])) as Columns;
  return { runId, params, ticks, tick: 0, columns, summary: undefined, status: 'paused', snapshots: [] };
}

/** The summary of ticks 0..at: the worker's when `at` is the newest tick, else recomputed here. */
export function summaryAt(view: RunView, at: number): Summary | undefined {
  if (!view.summary) return undefined;
  if (at >= view.tick) return view.summary;
  return summarize(view.columns, view.params, Math.max(0, at));
}

/** The newest snapshot taken at or before `at` (snapshots are in tick order). */
export function snapshotAt(view: RunView, at: number): Snapshot | undefined {
  const { snapshots } = view;
  let lo = 0;
  let hi = snapshots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (snapshots[mid].tick <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? snapshots[lo - 1] : snapshots[0];
}

/** The newest snapshots of run A and of run B (compare mode) at or before `at`, for the charts of a snapshot. */
export function snapshotsAt(
  run: RunView,
  b: RunView | undefined,
  at: number,
): [Snapshot | undefined, Snapshot | undefined] {
  return [snapshotAt(run, at), b ? snapshotAt(b, at) : undefined];
}

/**
 * While a run computed at once (no animation: a frozen link, a reader who asks for less motion)
 * is still being computed, its charts are redrawn at most this often: each redraw of a long run
 * takes the processor time its computation needs, and the reader asked for the finished run.
 */
export const INSTANT_REDRAW_MS = 1000;

export class RunState {
  /** The run is computed at once (speed ∞): redraw it while computing at most every INSTANT_REDRAW_MS. */
  instant = false;

  /** The newest complete state, replaced (never mutated) once per animation frame. */
  view = $state.raw<RunView>(emptyRun(0, 0, defaultParams()));

  #latest: RunView = emptyRun(0, 0, defaultParams());
  #snapshots: Snapshot[] = [];
  #frameRequested = false;
  #deferred: ReturnType<typeof setTimeout> | undefined;
  #lastRender = -Infinity;
  #health: 'ok' | 'recovering' | 'stopped' = 'ok';

  /** The worker's health (src/sim/client.ts): while it is not `ok`, the status shown is the health. */
  setHealth = (health: 'ok' | 'recovering' | 'stopped'): void => {
    if (health === this.#health) return;
    this.#health = health;
    this.#requestRender();
  };

  /** Merge one frame from the worker; frames of an older run are dropped. */
  receive = (frame: Frame): void => {
    if (frame.runId < this.#latest.runId) return;
    if (frame.runId > this.#latest.runId) {
      // A run's first frame carries its parameters; a newer run never starts mid-way.
      this.#latest = emptyRun(frame.runId, frame.ticks, frame.params ?? this.#latest.params);
      this.#snapshots = [];
    }
    const run = this.#latest;
    if (frame.to >= frame.from) {
      for (const key of FRAME_KEYS) run.columns[key].set(frameColumn(frame, key), frame.from);
      run.tick = frame.to;
    }
    if (frame.snapshots.length > 0) this.#snapshots.push(...frame.snapshots);
    run.summary = frame.summary;
    run.status = frame.status;
    this.#requestRender();
  };

  #requestRender(): void {
    const wait = this.#throttle();
    if (wait === 0 && this.#deferred !== undefined) {
      // Something that must show now (the end of the run, a new run, a fault) ends the wait.
      clearTimeout(this.#deferred);
      this.#deferred = undefined;
      this.#frameRequested = false;
    }
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    if (wait === 0) requestAnimationFrame(this.#render);
    else
      this.#deferred = setTimeout(() => {
        this.#deferred = undefined;
        requestAnimationFrame(this.#render);
      }, wait);
  }

  /** Milliseconds the next render should wait: only an instant run's middle waits. */
  #throttle(): number {
    const run = this.#latest;
    if (!this.instant || run.status !== 'playing' || this.#health !== 'ok' || run.runId !== this.view.runId) return 0;
    return Math.max(0, this.#lastRender + INSTANT_REDRAW_MS - performance.now());
  }

  #render = (): void => {
    this.#frameRequested = false;
    this.#lastRender = performance.now();
    // A new array only when snapshots arrived, so charts of them redraw only then.
    if (this.#snapshots.length !== this.#latest.snapshots.length) this.#latest.snapshots = [...this.#snapshots];
    this.view = { ...this.#latest, status: this.#health === 'ok' ? this.#latest.status : this.#health };
  };
}
