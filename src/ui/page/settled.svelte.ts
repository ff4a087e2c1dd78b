/**
 * Why the multiplier changed: the headline compares the run on screen with the previous run
 * the reader saw, once both have finished. A run counts as seen only once it has stayed on
 * screen for `SETTLED_MS` (not a run passed through while a slider moved), and a replay of the
 * same parameters changes nothing. When a few parameters changed at once, each is weighed alone
 * (`weigh`: the previous run with only that change, run in a background worker), so the
 * sentence ranks them by their effect.
 */
import { WEIGHED_CHANGES, explainChange, runChanges, type RunRecord } from '../explain.ts';

/** A finished run becomes "the previous run" only once it has been on screen this long. */
export const SETTLED_MS = 1000;

/** A finished run as the page keeps it: its words' record and the option grid it ran on (to rerun it). */
export type SettledRun = RunRecord & { grid?: Float64Array };

/** Multipliers of runs, each a set of parameters on an option grid (the stylized one when undefined): the background workers' answer. */
export type RunMultipliers = (
  jobs: { params: RunRecord['params']; grid: Float64Array | undefined }[],
  signal: AbortSignal,
) => Promise<number[]>;

export class SettledRuns {
  /** The run before the current one that the reader saw settle; undefined at first. */
  previous = $state<SettledRun>();
  /** The newest finished run. */
  current = $state<SettledRun>();
  /** For the current pair of runs: the previous run's multiplier with each change alone, by change key, once weighed. */
  alone = $state.raw<Readonly<Record<string, number>>>();
  #last: (SettledRun & { runId: number; since: number }) | undefined;
  #weighing: AbortController | undefined;

  /** A run has finished (`now` in ms, as `performance.now()`); the same run again is ignored. */
  finished(runId: number, record: SettledRun, now: number): void {
    if (runId === this.#last?.runId) return;
    const last = this.#last;
    if (last && explainChange(last, record) !== undefined && now - last.since >= SETTLED_MS) this.previous = last;
    this.#last = { ...record, runId, since: now };
    this.current = record;
  }

  /** The sentence on what changed since the previous settled run, if any. */
  why(): string | undefined {
    return this.previous && this.current ? explainChange(this.previous, this.current, this.alone) : undefined;
  }

  /**
   * Weigh each change between the previous and the current run alone, when there are 2 to
   * WEIGHED_CHANGES of them, with `multipliers` (the background workers); a newer pair cancels
   * an older weighing. Resolves when the weighing is done (or not needed).
   */
  async weigh(multipliers: RunMultipliers): Promise<void> {
    const previous = this.previous;
    const current = this.current;
    this.#weighing?.abort();
    this.alone = undefined;
    if (!previous || !current) return;
    const changes = runChanges(previous, current);
    if (changes.length < 2 || changes.length > WEIGHED_CHANGES) return;
    const controller = (this.#weighing = new AbortController());
    const jobs = changes.map((change) =>
      change.key === 'book'
        ? { params: previous.params, grid: current.grid }
        : { params: { ...previous.params, [change.key]: current.params[change.key] }, grid: previous.grid },
    );
    const results = await multipliers(jobs, controller.signal);
    if (controller.signal.aborted || this.previous !== previous || this.current !== current) return;
    this.alone = Object.fromEntries(changes.map((change, i) => [change.key, results[i]]));
  }
}
