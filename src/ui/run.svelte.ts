/**
 * The page's copy of the run that is playing. Frames from the worker are merged into plain
 * typed-array columns the moment they arrive (a cheap copy, never a render); what the charts
 * see, `view`, changes at most once per animation frame, to the newest state.
 */
import { FRAME_KEYS, frameColumn, type Frame, type FrameKey, type RunStatus } from '../sim/frames.ts';
import type { Summary } from '../model/summary.ts';

/** The drawn columns of a run, `ticks + 1` entries each; entries past `tick` are not yet known. */
export type Columns = Record<FrameKey, Float64Array>;

export interface RunView {
  runId: number;
  ticks: number;
  /** Last tick received. */
  tick: number;
  columns: Columns;
  /** Summary of ticks 0..tick; undefined before the first frame. */
  summary: Summary | undefined;
  status: RunStatus;
}

function emptyRun(runId: number, ticks: number): RunView {
  const columns = Object.fromEntries(FRAME_KEYS.map((key) => [key, new Float64Array(ticks + 1)])) as Columns;
  return { runId, ticks, tick: 0, columns, summary: undefined, status: 'paused' };
}

export class RunState {
  /** The newest complete state, replaced (never mutated) once per animation frame. */
  view = $state.raw<RunView>(emptyRun(0, 0));

  #latest: RunView = emptyRun(0, 0);
  #frameRequested = false;

  /** Merge one frame from the worker; frames of an older run are dropped. */
  receive = (frame: Frame): void => {
    if (frame.runId < this.#latest.runId) return;
    if (frame.runId > this.#latest.runId) this.#latest = emptyRun(frame.runId, frame.ticks);
    const run = this.#latest;
    if (frame.to >= frame.from) {
      for (const key of FRAME_KEYS) run.columns[key].set(frameColumn(frame, key), frame.from);
      run.tick = frame.to;
    }
    run.summary = frame.summary;
    run.status = frame.status;
    if (!this.#frameRequested) {
      this.#frameRequested = true;
      requestAnimationFrame(this.#render);
    }
  };

  #render = (): void => {
    this.#frameRequested = false;
    this.view = { ...this.#latest };
  };
}
