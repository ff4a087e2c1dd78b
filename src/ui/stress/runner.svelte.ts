/**
 * Runs a sweep on the background workers of a sweep pool: one sweep at a time (a new one
 * cancels the one running), each cell's multiplier recorded as its run ends.
 */
import type { Params } from '../../model/schema.ts';
import { createSweepPool } from '../../sim/client.ts';
import { newSweep, sweepJobs, type Sweep, type SweepAxis } from '../../model/sweep.ts';

export class SweepRunner {
  sweep = $state<Sweep>();
  failure = $state<string>();
  readonly #pool = createSweepPool((message) => (this.failure = message));
  #controller: AbortController | undefined;

  /** Workers in the pool. */
  get size(): number {
    return this.#pool.size;
  }

  async start(x: SweepAxis, y: SweepAxis, size: number, base: Params, grid: Float64Array | undefined): Promise<void> {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    const sweep = (this.sweep = newSweep(x, y, size, base));
    this.failure = undefined;
    try {
      await this.#pool.run(
        sweepJobs(sweep),
        grid,
        (index, summary) => {
          this.sweep!.results[index] = summary.feedbackMultiplier;
          this.sweep!.done += 1;
        },
        controller.signal,
      );
      if (!controller.signal.aborted) this.sweep!.status = 'done';
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      this.sweep!.status = 'cancelled';
    }
  }

  cancel(): void {
    this.#controller?.abort();
    if (this.sweep?.status === 'running') this.sweep.status = 'cancelled';
  }

  terminate(): void {
    this.#controller?.abort();
    this.#pool.terminate();
  }
}
