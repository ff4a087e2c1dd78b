/**
 * Runs a sweep on the page's pool of background workers: one sweep at a time (a new one
 * cancels the one running), every cell over the sweep's seeds, each cell's value recorded as its
 * runs end.
 */
import type { Params } from '../../model/schema.ts';
import { isAbort, pagePool } from '../../sim/client.ts';
import { newSweep, recordRun, sweepRuns, type Sweep, type SweepAxis, type SweepOptions } from '../../model/sweep.ts';

export class SweepRunner {
  sweep = $state<Sweep>();
  failure = $state<string>();
  readonly #pool = pagePool((message) => (this.failure = message));
  #controller: AbortController | undefined;

  /** Workers in the pool. */
  get size(): number {
    return this.#pool.size;
  }

  async start(
    x: SweepAxis,
    y: SweepAxis,
    size: number,
    base: Params,
    grid: Float64Array | undefined,
    options: SweepOptions = {},
  ): Promise<void> {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    const sweep = (this.sweep = newSweep(x, y, size, base, options));
    this.failure = undefined;
    try {
      await Promise.all(
        sweepRuns(sweep).map(async ({ cell, params }) => {
          const { summary } = await this.#pool.run({ params, grid }, { signal: controller.signal });
          if (!controller.signal.aborted) recordRun(this.sweep!, cell, summary);
        }),
      );
      if (!controller.signal.aborted) this.sweep!.status = 'done';
    } catch (error) {
      if (isAbort(error)) return;
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
  }
}
