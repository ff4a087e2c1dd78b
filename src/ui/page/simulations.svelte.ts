/**
 * The page's two simulation workers: run A's, always, and run B's while the compare mode is on.
 * Every transport command goes to both, so A and B stay tick for tick; frames land in one
 * RunState each, which the charts read.
 */
import type { Params } from '../../model/schema.ts';
import { startSimulation, type Simulation, type SimulationHandle } from '../../sim/client.ts';
import { RunState } from '../run.svelte.ts';

export class Simulations {
  readonly a = new RunState();
  readonly b = new RunState();
  readonly #onError: (message: string) => void;
  readonly #main: SimulationHandle;
  #second: SimulationHandle | undefined;

  constructor(onError: (message: string) => void) {
    this.#onError = onError;
    this.#main = startSimulation(this.a.receive, onError);
  }

  /** Start run B's worker when the compare mode comes on, stop it when it goes off. */
  compare(on: boolean): void {
    if (on && !this.#second) this.#second = startSimulation(this.b.receive, this.#onError, 'compare');
    if (!on && this.#second) {
      this.#second.terminate();
      this.#second = undefined;
    }
  }

  /** Send a transport command (play, pause, step, reset, speed) to every running worker. */
  command(action: (sim: Simulation) => Promise<void>): void {
    for (const handle of this.#second ? [this.#main, this.#second] : [this.#main]) action(handle.sim).catch(this.#fail);
  }

  /** New runs from tick 0, playing: A's, and B's when `paramsB` is given (the compare mode), on one option grid. */
  start(params: Params, paramsB: Params | undefined, grid: Float64Array | undefined): void {
    this.#main.sim.start(params, true, grid).catch(this.#fail);
    if (paramsB) this.#second?.sim.start(paramsB, true, grid).catch(this.#fail);
  }

  terminate(): void {
    this.#main.terminate();
    this.#second?.terminate();
  }

  readonly #fail = (error: unknown): void => this.#onError(error instanceof Error ? error.message : String(error));
}
