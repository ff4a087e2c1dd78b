/**
 * The one place that constructs simulation workers and wraps them with Comlink. The UI imports
 * this module and only the *type* of the worker's API, never the worker or the engine itself.
 */
import * as Comlink from 'comlink';
import type { Params } from '../model/schema.ts';
import type { Summary } from '../model/summary.ts';
import type { Frame } from './frames.ts';
import type { SimulationApi } from './worker.ts';

export type Simulation = Comlink.Remote<SimulationApi>;

export interface SimulationHandle {
  sim: Simulation;
  /** Stop the worker and release the engine's memory. */
  terminate(): void;
}

function spawn(name: string, onError: (message: string) => void): { worker: Worker; sim: Simulation } {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name });
  worker.addEventListener('error', (event) => {
    onError(event instanceof ErrorEvent && event.message ? event.message : `the ${name} worker stopped unexpectedly`);
  });
  return { worker, sim: Comlink.wrap<SimulationApi>(worker) };
}

function release({ worker, sim }: { worker: Worker; sim: Simulation }): void {
  sim[Comlink.releaseProxy]();
  worker.terminate();
}

/**
 * Start a worker and subscribe `onFrame` to its frames. Calls may be made at once: Comlink
 * keeps their order and the worker answers them when its engine has loaded. `onError` hears
 * failures that no call returns, such as an exception while the run plays.
 */
export function startSimulation(
  onFrame: (frame: Frame) => void,
  onError: (message: string) => void,
  name = 'simulation',
): SimulationHandle {
  const spawned = spawn(name, onError);
  spawned.sim.connect(Comlink.proxy(onFrame)).catch((error: unknown) => onError(String(error)));
  return { sim: spawned.sim, terminate: () => release(spawned) };
}

/** A pool of workers that run whole runs in the background, for the stress map. */
export interface SweepPool {
  /** Workers in the pool: one per spare core (hardware threads − 1, at least 1). */
  readonly size: number;
  /**
   * Run and summarize every parameter set (on the option `grid`, the default when undefined),
   * `size` at a time; `onResult` hears each as it ends (in
   * any order). Resolves when all have ended, or soon after `signal` aborts (no more results then).
   */
  run(
    jobs: readonly Params[],
    grid: Float64Array | undefined,
    onResult: (index: number, summary: Summary) => void,
    signal: AbortSignal,
  ): Promise<void>;
  terminate(): void;
}

/** Make a sweep pool; its workers start on the first `run` and stay for the next. */
export function createSweepPool(onError: (message: string) => void): SweepPool {
  const size = Math.max(1, (navigator.hardwareConcurrency || 2) - 1);
  let workers: ReturnType<typeof spawn>[] = [];
  return {
    size,
    async run(jobs, grid, onResult, signal) {
      if (workers.length === 0) workers = Array.from({ length: size }, (_, i) => spawn(`sweep ${i + 1}`, onError));
      let next = 0;
      const drain = async ({ sim }: { sim: Simulation }): Promise<void> => {
        while (next < jobs.length && !signal.aborted) {
          const index = next++;
          const summary = await sim.summarizeRun(jobs[index], grid);
          if (!signal.aborted) onResult(index, summary);
        }
      };
      await Promise.all(workers.map(drain));
    },
    terminate() {
      workers.forEach(release);
      workers = [];
    },
  };
}
