/**
 * The simulation worker: it owns the engine, plays the run at its own pace and sends the page
 * small frames (see `frames.ts`). The page drives it through Comlink and never waits on it
 * inside an animation frame.
 *
 * `Comlink.expose` runs synchronously at start-up and every method awaits the engine: exposing
 * only after the WASM had loaded dropped the page's first messages (one load in three hung).
 */
import * as Comlink from 'comlink';
import wasmUrl from '../../build/release.wasm?url';
import type { Engine } from '../model/engine.ts';
import { toEngineBlock, type Params } from '../model/schema.ts';
import { SERIES_KEYS, type Series } from '../model/series.ts';
import { summarize } from '../model/summary.ts';
import { FRAME_KEYS, type Frame, type RunStatus } from './frames.ts';
import { instantiateEngine } from './wasm.ts';
import { WasmEngine } from './wasm-engine.ts';

/** Default playback: 60 ticks (simulated minutes) a second, so a 12-hour run plays in 12 s. */
export const DEFAULT_TICKS_PER_SECOND = 60;

/** How often the worker wakes to step the engine while playing. */
const PUMP_INTERVAL_MS = 16;

/** Longest a batch may hold the worker, so the page's commands (pause, a new run) stay prompt. */
const BATCH_BUDGET_MS = 12;

async function loadEngine(): Promise<Engine> {
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`could not fetch the engine (${response.status} ${response.statusText})`);
  return new WasmEngine(await instantiateEngine(await response.arrayBuffer()));
}

/** Plays one run at a time on one engine and reports every step as a frame. */
class Player {
  private block: Float64Array | undefined;
  private runId = 0;
  private status: RunStatus = 'paused';
  /** Last tick already sent to the page (-1: nothing of this run yet). */
  private sent = -1;
  private ticksPerSecond = DEFAULT_TICKS_PER_SECOND;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastPump = 0;
  /** Fractional ticks owed by the clock, carried from one pump to the next. */
  private owed = 0;
  /** Measured cost of one tick (ms), to size batches within BATCH_BUDGET_MS. */
  private msPerTick = 0;

  constructor(
    private readonly engine: Engine,
    private readonly emit: (frame: Frame, transfer: Transferable[]) => void,
  ) {}

  start(params: Params, autoplay: boolean): number {
    this.block = toEngineBlock(params);
    this.restart();
    if (autoplay) this.play();
    return this.runId;
  }

  play(): void {
    if (!this.block || this.status === 'playing') return;
    if (this.engine.tick >= this.engine.ticks) this.restart();
    this.status = 'playing';
    this.lastPump = performance.now();
    this.owed = 0;
    this.schedule(0);
  }

  pause(): void {
    if (this.status !== 'playing') return;
    this.stopTimer();
    this.status = 'paused';
    this.send();
  }

  reset(): void {
    if (this.block) this.restart();
  }

  setSpeed(ticksPerSecond: number): void {
    if (!(ticksPerSecond > 0)) throw new RangeError(`speed must be a positive number of ticks per second, got ${ticksPerSecond}`);
    this.ticksPerSecond = ticksPerSecond;
  }

  /** A new run of the current parameters at tick 0, paused: new run id, tick 0 sent. */
  private restart(): void {
    this.stopTimer();
    this.engine.init(this.block!);
    this.runId += 1;
    this.sent = -1;
    this.status = 'paused';
    this.send();
  }

  private readonly pump = (): void => {
    this.timer = undefined;
    if (this.status !== 'playing') return;
    const now = performance.now();
    const remaining = this.engine.ticks - this.engine.tick;
    let n: number;
    if (this.ticksPerSecond === Infinity) {
      n = remaining;
    } else {
      this.owed += ((now - this.lastPump) / 1000) * this.ticksPerSecond;
      n = Math.floor(this.owed);
      this.owed -= n;
      const affordable = this.msPerTick > 0 ? Math.max(1, Math.floor(BATCH_BUDGET_MS / this.msPerTick)) : 1;
      if (n > affordable) {
        // Too slow for the requested speed: play slower rather than fall ever further behind.
        n = affordable;
        this.owed = 0;
      }
      n = Math.min(n, remaining);
    }
    this.lastPump = now;
    if (n > 0) {
      const started = performance.now();
      this.engine.step(n);
      const cost = (performance.now() - started) / n;
      this.msPerTick = this.msPerTick > 0 ? 0.8 * this.msPerTick + 0.2 * cost : cost;
    }
    if (this.engine.tick >= this.engine.ticks) this.status = 'done';
    if (n > 0 || this.status === 'done') this.send();
    if (this.status === 'playing') this.schedule(PUMP_INTERVAL_MS);
  };

  private schedule(delay: number): void {
    this.timer ??= setTimeout(this.pump, delay);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Send the ticks simulated since the last frame, with the running summary. */
  private send(): void {
    const from = this.sent + 1;
    const to = this.engine.tick;
    const n = Math.max(0, to - from + 1);
    // Copies, not views: wasm memory may grow and detach views, and the buffer is transferred.
    const data = new Float64Array(FRAME_KEYS.length * n);
    if (n > 0) FRAME_KEYS.forEach((key, k) => data.set(this.engine.column(key).subarray(from, to + 1), k * n));
    const series = Object.fromEntries(SERIES_KEYS.map((key) => [key, this.engine.column(key)])) as Series;
    const frame: Frame = { runId: this.runId, ticks: this.engine.ticks, from, to: from + n - 1, data, summary: summarize(series, to), status: this.status };
    this.sent = to;
    this.emit(frame, [data.buffer]);
  }
}

let frameSink: ((frame: Frame) => void) | undefined;

const player: Promise<Player> = loadEngine().then(
  (engine) => new Player(engine, (frame, transfer) => void frameSink?.(Comlink.transfer(frame, transfer))),
);
// The failure reaches the page through the first method call; do not also report it as unhandled.
player.catch(() => undefined);

const api = {
  /** Where frames go: the page passes a `Comlink.proxy` of its handler, once, before `start`. */
  connect(onFrame: (frame: Frame) => void): void {
    frameSink = onFrame;
  },
  /** Start a new run of `params` at tick 0 (dropping the current one); play it if `autoplay`. Returns its run id. */
  async start(params: Params, autoplay: boolean): Promise<number> {
    return (await player).start(params, autoplay);
  },
  /** Play the current run from where it stands; a finished run replays from tick 0. */
  async play(): Promise<void> {
    (await player).play();
  },
  async pause(): Promise<void> {
    (await player).pause();
  },
  /** Back to tick 0 of the current parameters, paused. */
  async reset(): Promise<void> {
    (await player).reset();
  },
  /** Simulated ticks per second of wall time while playing; `Infinity` runs each run to its end at once. */
  async setSpeed(ticksPerSecond: number): Promise<void> {
    (await player).setSpeed(ticksPerSecond);
  },
};

export type SimulationApi = typeof api;

Comlink.expose(api);
