/**
 * Why the multiplier changed: the headline compares the run on screen with the previous run
 * the reader saw, once both have finished. A run counts as seen only once it has stayed on
 * screen for `SETTLED_MS` (not a run passed through while a slider moved), and a replay of the
 * same parameters changes nothing.
 */
import { explainChange, type RunRecord } from '../explain.ts';

/** A finished run becomes "the previous run" only once it has been on screen this long. */
export const SETTLED_MS = 1000;

export class SettledRuns {
  /** The run before the current one that the reader saw settle; undefined at first. */
  previous = $state<RunRecord>();
  /** The newest finished run. */
  current = $state<RunRecord>();
  #last: (RunRecord & { runId: number; since: number }) | undefined;

  /** A run has finished (`now` in ms, as `performance.now()`); the same run again is ignored. */
  finished(runId: number, record: RunRecord, now: number): void {
    if (runId === this.#last?.runId) return;
    const last = this.#last;
    if (last && explainChange(last, record) !== undefined && now - last.since >= SETTLED_MS) this.previous = last;
    this.#last = { ...record, runId, since: now };
    this.current = record;
  }

  /** The sentence on what changed since the previous settled run, if any. */
  why(): string | undefined {
    return this.previous && this.current ? explainChange(this.previous, this.current) : undefined;
  }
}
