/**
 * The one place that constructs the simulation worker and wraps it with Comlink. The UI imports
 * this module and only the *type* of the worker's API, never the worker or the engine itself.
 */
import * as Comlink from 'comlink';
import type { Frame } from './frames.ts';
import type { SimulationApi } from './worker.ts';

export type Simulation = Comlink.Remote<SimulationApi>;

export interface SimulationHandle {
  sim: Simulation;
  /** Stop the worker and release the engine's memory. */
  terminate(): void;
}

/**
 * Start the worker and subscribe `onFrame` to its frames. Calls may be made at once: Comlink
 * keeps their order and the worker answers them when its engine has loaded. `onError` hears
 * failures that no call returns, such as an exception while the run plays.
 */
export function startSimulation(onFrame: (frame: Frame) => void, onError: (message: string) => void): SimulationHandle {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'simulation' });
  worker.addEventListener('error', (event) => {
    onError(event instanceof ErrorEvent && event.message ? event.message : 'the simulation worker stopped unexpectedly');
  });
  const sim = Comlink.wrap<SimulationApi>(worker);
  sim.connect(Comlink.proxy(onFrame)).catch((error: unknown) => onError(String(error)));
  return {
    sim,
    terminate: () => {
      sim[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
