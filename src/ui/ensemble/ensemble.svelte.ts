/**
 * The page's live ensemble: the current parameters over N seeds (from the run's own seed on),
 * on the page's pool of background workers, while the main run plays. Results arrive in any
 * order; each is folded in at once (its price paths into per-tick sorted columns), and what the
 * fan, the headline and the histogram read, `view`, is refreshed at most every REFRESH_MS and
 * when the last run ends. Starting again (a slider moved) drops the runs still waiting.
 */
import {
  DEFAULT_CASCADE_DRAWDOWN,
  DEFAULT_PAGE_SEEDS,
  SortedColumns,
  cascadeProbability,
  seedsFrom,
  stats,
  type Band,
  type Stats,
} from '../../model/ensemble.ts';
import type { Params } from '../../model/schema.ts';
import type { Summary } from '../../model/summary.ts';
import { isAbort, pagePool } from '../../sim/client.ts';

/** The fan and the figures refresh at most this often while runs arrive. */
const REFRESH_MS = 200;

/** What the ensemble shows: the fan's bands, the multiplier's spread and the cascades, over the runs done. */
export interface EnsembleView {
  /** Runs asked for, and done so far. */
  seeds: number;
  done: number;
  /** Wall time from start to the last run's end (ms), once done. */
  elapsedMs?: number;
  price: Band;
  cfPrice: Band;
  multipliers: number[];
  multiplier: Stats;
  /** Share of the runs done whose max drawdown is beyond `threshold`. */
  cascade: number;
  threshold: number;
}

/** The fan the price chart draws: the ensemble's bands of the run and of the counterfactual. */
export interface Fan {
  price: Band;
  cfPrice: Band;
  runs: number;
}

export class Ensemble {
  on = $state(false);
  seeds = $state(DEFAULT_PAGE_SEEDS);
  threshold = $state(DEFAULT_CASCADE_DRAWDOWN);
  view = $state.raw<EnsembleView>();
  failure = $state<string>();
  readonly #pool = pagePool((message) => (this.failure = message));
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Workers in the pool. */
  get workers(): number {
    return this.#pool.size;
  }

  /** The fan of the runs done so far (at least two), or undefined. */
  get fan(): Fan | undefined {
    return this.on && this.view && this.view.done >= 2
      ? { price: this.view.price, cfPrice: this.view.cfPrice, runs: this.view.done }
      : undefined;
  }

  /** Run `params` over the seeds from its own on; the ensemble running before is dropped. */
  start(params: Params, grid: Float64Array | undefined): void {
    this.stop();
    const controller = (this.#controller = new AbortController());
    const count = this.seeds;
    const threshold = this.threshold;
    const length = (params.ticks as number) + 1;
    const price = new SortedColumns(length, count);
    const cfPrice = new SortedColumns(length, count);
    const summaries: Summary[] = [];
    const started = performance.now();
    this.failure = undefined;
    const refresh = (elapsedMs?: number) => {
      this.#timer = undefined;
      if (controller.signal.aborted) return;
      this.view = {
        seeds: count,
        done: summaries.length,
        elapsedMs,
        price: price.band(),
        cfPrice: cfPrice.band(),
        multipliers: summaries.map((s) => s.feedbackMultiplier),
        multiplier: stats(summaries.map((s) => s.feedbackMultiplier)),
        cascade: cascadeProbability(summaries, threshold),
        threshold,
      };
    };
    refresh();
    for (const seed of seedsFrom(params.seed as number, count)) {
      this.#pool
        .run({ params: { ...params, seed } as Params, grid, keep: ['price', 'cfPrice'] }, { signal: controller.signal })
        .then(({ summary, columns }) => {
          if (controller.signal.aborted) return;
          summaries.push(summary);
          price.add(columns.price!);
          cfPrice.add(columns.cfPrice!);
          if (summaries.length === count) {
            clearTimeout(this.#timer);
            refresh(performance.now() - started);
          } else this.#timer ??= setTimeout(refresh, REFRESH_MS);
        })
        .catch((error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          this.failure = error instanceof Error ? error.message : String(error);
          controller.abort();
        });
    }
  }

  stop(): void {
    this.#controller?.abort();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
