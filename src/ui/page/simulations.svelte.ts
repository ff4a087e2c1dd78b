/**
 * The page's two simulation workers: run A's, always, and run B's while the compare mode is on.
 * Every transport command goes to both, so A and B stay tick for tick; frames land in one
 * RunState each, which the charts read. Each worker is supervised (src/sim/client.ts): when one
 * fails, its run state shows `recovering` (or `stopped`) and `onError` hears a plain sentence
 * saying what happened; once every run is back, `onError` hears `undefined`.
 */
import type { Params } from '../../model/schema.ts';
import { startSimulation, testHooks, type Health, type Simulation, type SimulationHandle } from '../../sim/client.ts';
import { RunState } from '../run.svelte.ts';

export class Simulations {
  readonly a = new RunState();
  readonly b = new RunState();
  readonly #onError: (message: string | undefined) => void;
  readonly #main: SimulationHandle;
  #second: SimulationHandle | undefined;
  readonly #health: { a: Health; b: Health } = { a: { state: 'ok' }, b: { state: 'ok' } };

  constructor(onError: (message: string | undefined) => void) {
    this.#onError = onError;
    this.#main = startSimulation(
      this.a.receive,
      (health) => this.#healthOf('a', health),
      'simulation',
      () => (this.#second ? 'run A' : 'the run'),
    );
    const hooks = testHooks();
    if (hooks) hooks.runs = { a: () => this.a.view, b: () => this.b.view };
  }

  /** Start run B's worker when the compare mode comes on, stop it when it goes off. */
  compare(on: boolean): void {
    if (on && !this.#second)
      this.#second = startSimulation(
        this.b.receive,
        (health) => this.#healthOf('b', health),
        'compare',
        () => 'run B',
      );
    if (!on && this.#second) {
      this.#second.terminate();
      this.#second = undefined;
      this.#healthOf('b', { state: 'ok' });
    }
  }

  /** Whether the runs are computed at once (speed ∞): their charts then redraw only now and then until done. */
  instant(on: boolean): void {
    this.a.instant = on;
    this.b.instant = on;
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

  #healthOf(run: 'a' | 'b', health: Health): void {
    this.#health[run] = health;
    this[run].setHealth(health.state);
    const messages = [this.#health.a, this.#health.b].flatMap((h) => (h.state === 'ok' ? [] : [h.message]));
    this.#onError(messages.length > 0 ? messages.join(' ') : undefined);
  }

  readonly #fail = (error: unknown): void => this.#onError(error instanceof Error ? error.message : String(error));
}
