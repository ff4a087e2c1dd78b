/**
 * The fall split by loop for the run on the page: the attribution's coalition runs on the page's
 * pool, ahead of any ensemble's (they are few), combined when the last ends
 * (src/model/attribution.ts). Starting again drops the runs still waiting.
 */
import {
  coalitionParams,
  combineAttribution,
  planAttribution,
  type Attribution,
  type LoopKey,
} from '../../model/attribution.ts';
import type { Params } from '../../model/schema.ts';
import { isAbort, pagePool } from '../../sim/client.ts';

/** Ahead of the ensemble's runs (priority 0). */
const PRIORITY = 1;

export interface PageAttribution extends Attribution {
  params: Params;
  present: LoopKey[];
  counterfactualDrawdown: number;
}

export class AttributionRun {
  result = $state.raw<PageAttribution>();
  /** Coalitions run so far, and in all, while one is under way. */
  progress = $state<{ done: number; total: number }>();
  failure = $state<string>();
  readonly #pool = pagePool((message) => (this.failure = message));
  #controller: AbortController | undefined;

  async start(params: Params, grid: Float64Array | undefined): Promise<void> {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    const plan = planAttribution(params);
    const full = (1 << plan.present.length) - 1;
    /** Each coalition's drawdown, by mask. */
    const drawdowns: number[] = [];
    let done = 0;
    let counterfactualDrawdown = 0;
    this.progress = { done: 0, total: plan.coalitions.length };
    this.failure = undefined;
    try {
      await Promise.all(
        plan.coalitions.map(async (mask) => {
          const { summary } = await this.#pool.run(
            { params: coalitionParams(params, plan, mask), grid },
            { priority: PRIORITY, signal: controller.signal },
          );
          if (controller.signal.aborted) return;
          drawdowns[mask] = summary.maxDrawdown;
          if (mask === full) counterfactualDrawdown = summary.counterfactualDrawdown;
          this.progress = { done: ++done, total: plan.coalitions.length };
        }),
      );
      if (controller.signal.aborted) return;
      this.result = { ...combineAttribution(plan, drawdowns), params, present: plan.present, counterfactualDrawdown };
      this.progress = undefined;
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return;
      this.failure = error instanceof Error ? error.message : String(error);
      this.progress = undefined;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}
