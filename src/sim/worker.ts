/**
 * The simulation worker: it owns the engine, plays the run at its own pace and sends the page
 * small frames (see `frames.ts`). The page drives it through Comlink and never waits on it
 * inside an animation frame.
 *
 * The same module serves two roles, each in its own worker: the main run and the B run of the
 * compare mode (whole runs in the background go to the pool's workers, batch-worker.ts).
 *
 * `Comlink.expose` runs synchronously at start-up and every method awaits the engine: exposing
 * only after the WASM had loaded dropped the page's first messages (one load in three hung).
 *
 * Faults: the page (src/sim/client.ts) pings the worker (`ping`, answered even while the engine
 * loads) and, when the worker dies, throws or stops answering, starts a new one and has it
 * `resume` the same run at the tick the page had reached. No batch of work holds the worker
 * long: ticks are stepped in batches sized to a time budget, so a ping is answered within one.
 * A worker named with `#test` (only src/sim/client.ts names workers, and only when a browser
 * test installed `window.__cascadeTest` before the page loaded) accepts `testFault`.
 */
import * as Comlink from 'comlink';
import wasmUrl from '../../build/release.wasm?url';
import { viewSeries, type Engine } from '../model/engine.ts';
import { toEngineBlock, type Params } from '../model/schema.ts';
import { summarize } from '../model/summary.ts';
import {
  DEFAULT_TICKS_PER_SECOND,
  FRAME_KEYS,
  MAP_BUCKETS,
  PROFILE_POINTS,
  frameBuffers,
  priceGrid,
  type Frame,
  type RunStatus,
  type Snapshot,
} from './frames.ts';
import { instantiateEngine } from './wasm.ts';
import { WasmEngine } from './wasm-engine.ts';

/** How often the worker wakes to step the engine while playing. */
const PUMP_INTERVAL_MS = 16;

/** Longest a batch may hold the worker, so the page's commands (pause, a new run) stay prompt. */
const BATCH_BUDGET_MS = 12;

/**
 * An instant run's first batch after a (re)start: this long, so the page draws the new run's
 * first frame as soon as init and a few ticks are done (a slider move shows at once); each
 * later batch doubles, up to `4 * BATCH_BUDGET_MS`, so the run still streams in a few frames.
 */
const FIRST_BATCH_MS = 4;

/** While playing in real time, a snapshot (gamma profile, liquidation map) at most this often. */
const SNAPSHOT_INTERVAL_MS = 200;

/** A run computed at once ("instant") still leaves about this many snapshots to scrub through. */
const INSTANT_SNAPSHOTS = 120;

/** Fault injection for browser tests: only in a worker the page named with `#test` (see the module comment). */
const TEST_NAME = /#test\b/.test(self.name);

/** Set by `testFault('throw')`: the next pump throws, as an engine bug would, outside any call. */
let throwInNextPump = false;

const engineModule: Promise<WebAssembly.Module> = /#test:fail-wasm\b/.test(self.name)
  ? Promise.reject(new Error('could not compile the engine (a test made this load fail)'))
  : fetch(wasmUrl).then(async (response) => {
      if (!response.ok) throw new Error(`could not fetch the engine (${response.status} ${response.statusText})`);
      return WebAssembly.compile(await response.arrayBuffer());
    });
// The failure reaches the page through the first method call; do not also report it as unhandled.
engineModule.catch(() => undefined);

async function newEngine(): Promise<Engine> {
  return new WasmEngine(await instantiateEngine(await engineModule));
}

/** Plays one run at a time on one engine and reports every step as a frame. */
class Player {
  private params: Params | undefined;
  /** The option grid of the dealer book (the engine's default grid when undefined). */
  private grid: Float64Array | undefined;
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
  private lastSnapshot = 0;
  /** Measured cost of one snapshot (ms): with millions of accounts a liquidation map is not free. */
  private snapshotCost = 0;
  /** Snapshots taken since the last frame was sent. */
  private snapshots: Snapshot[] = [];
  /** The time budget of the next instant batch: `FIRST_BATCH_MS` after a restart, then doubling. */
  private instantBudget = FIRST_BATCH_MS;

  constructor(
    private readonly engine: Engine,
    private readonly emit: (frame: Frame) => void,
  ) {}

  start(params: Params, autoplay: boolean, grid?: Float64Array): number {
    this.params = params;
    this.grid = grid;
    // A run that plays at once sends tick 0 with its first ticks, in the first pump: one frame
    // for the page to draw, not a frame of tick 0 and then, a batch later, one of the ticks.
    this.restart(!autoplay);
    if (autoplay) this.play();
    return this.runId;
  }

  play(): void {
    if (!this.params || this.status === 'playing') return;
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
    this.snapshot();
    this.send();
  }

  /** Advance `n` ticks and stop there (pausing a playing run). */
  step(n: number): void {
    if (!this.params || this.engine.tick >= this.engine.ticks) return;
    this.stopTimer();
    this.engine.step(n);
    this.status = this.engine.tick >= this.engine.ticks ? 'done' : 'paused';
    this.snapshot();
    this.send();
  }

  reset(): void {
    if (this.params) this.restart();
  }

  /**
   * The same run again after a fault: `params` on `grid` from tick 0 to `tick`, computed in
   * batches that leave the worker free to answer between them (frames and snapshots as an
   * instant run sends them), then playing if `play`, else paused there.
   */
  async resume(params: Params, grid: Float64Array | undefined, tick: number, play: boolean): Promise<number> {
    this.start(params, false, grid);
    const runId = this.runId;
    const target = Math.min(Math.max(0, Math.floor(tick)), this.engine.ticks);
    const chunk = Math.max(1, Math.ceil(this.engine.ticks / INSTANT_SNAPSHOTS));
    while (this.engine.tick < target && this.runId === runId) {
      const started = performance.now();
      while (this.engine.tick < target && performance.now() - started < 4 * BATCH_BUDGET_MS) {
        this.stepMeasured(this.alignedStep(chunk, target));
        if (this.engine.tick % chunk === 0 || this.engine.tick === target) this.snapshot();
      }
      this.send();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (this.runId !== runId) return this.runId; // a new command replaced the run meanwhile
    if (this.engine.tick >= this.engine.ticks) {
      this.status = 'done';
      this.snapshot();
      this.send();
    } else if (play) this.play();
    return runId;
  }

  /**
   * Ticks to step toward the next multiple of `chunk` (not past `limit`): the whole way for a small
   * run, no more than the batch budget affords for a huge one (one tick while the cost is unknown),
   * so snapshots still fall on the chunk's ticks and the worker answers within about a batch.
   */
  private alignedStep(chunk: number, limit: number): number {
    const tick = this.engine.tick;
    const toBoundary = Math.min(chunk - (tick % chunk), limit - tick);
    const affordable = this.msPerTick > 0 ? Math.floor((4 * BATCH_BUDGET_MS) / this.msPerTick) : 1;
    return Math.max(1, Math.min(toBoundary, affordable));
  }

  /** Step `n` ticks, keeping the measured cost of a tick up to date. */
  private stepMeasured(n: number): void {
    const started = performance.now();
    this.engine.step(n);
    const cost = (performance.now() - started) / Math.max(1, n);
    this.msPerTick = this.msPerTick > 0 ? 0.8 * this.msPerTick + 0.2 * cost : cost;
  }

  setSpeed(ticksPerSecond: number): void {
    if (!(ticksPerSecond > 0))
      throw new RangeError(`speed must be a positive number of ticks per second, got ${ticksPerSecond}`);
    this.ticksPerSecond = ticksPerSecond;
  }

  /** A new run of the current parameters at tick 0, paused: new run id, tick 0 sent (unless `send` is false: the first pump sends it). */
  private restart(send = true): void {
    this.stopTimer();
    this.engine.init(toEngineBlock(this.params!), this.grid);
    this.runId += 1;
    this.sent = -1;
    this.status = 'paused';
    this.snapshots = [];
    this.instantBudget = FIRST_BATCH_MS;
    this.snapshot();
    if (send) this.send();
  }

  private readonly pump = (): void => {
    this.timer = undefined;
    if (this.status !== 'playing') return;
    if (throwInNextPump) {
      throwInNextPump = false;
      throw new Error('an exception inside the engine step (a test threw it)');
    }
    if (this.ticksPerSecond === Infinity) this.pumpInstant();
    else this.pumpTimed();
    if (this.engine.tick >= this.engine.ticks) {
      this.status = 'done';
      this.snapshot();
    }
    if (this.engine.tick > this.sent || this.status === 'done') this.send();
    if (this.status === 'playing') this.schedule(this.ticksPerSecond === Infinity ? 0 : PUMP_INTERVAL_MS);
  };

  /** As many ticks as the clock owes, within the batch budget. */
  private pumpTimed(): void {
    const now = performance.now();
    this.owed += ((now - this.lastPump) / 1000) * this.ticksPerSecond;
    this.lastPump = now;
    let n = Math.floor(this.owed);
    this.owed -= n;
    const affordable = this.msPerTick > 0 ? Math.max(1, Math.floor(BATCH_BUDGET_MS / this.msPerTick)) : 1;
    if (n > affordable) {
      // Too slow for the requested speed: play slower rather than fall ever further behind.
      n = affordable;
      this.owed = 0;
    }
    n = Math.min(n, this.engine.ticks - this.engine.tick);
    if (n <= 0) return;
    this.stepMeasured(n);
    if (performance.now() - this.lastSnapshot >= SNAPSHOT_INTERVAL_MS) this.snapshot();
  }

  /**
   * The run as fast as it computes, in chunks with a snapshot after each (skipped while snapshots
   * would cost more than a quarter of the time), yielding to messages between batches.
   */
  private pumpInstant(): void {
    const chunk = Math.max(1, Math.ceil(this.engine.ticks / INSTANT_SNAPSHOTS));
    const started = performance.now();
    const budget = this.instantBudget;
    this.instantBudget = Math.min(4 * BATCH_BUDGET_MS, 2 * budget);
    while (this.engine.tick < this.engine.ticks && performance.now() - started < budget) {
      this.stepMeasured(this.alignedStep(chunk, this.engine.ticks));
      if (this.engine.tick % chunk !== 0 && this.engine.tick < this.engine.ticks) continue;
      const due = performance.now() - this.lastSnapshot >= 3 * this.snapshotCost;
      if (this.engine.tick < this.engine.ticks && due) this.snapshot();
    }
  }

  private schedule(delay: number): void {
    this.timer ??= setTimeout(this.pump, delay);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Record the gamma profile and the liquidation map at the current tick, for the next frame. */
  private snapshot(): void {
    const tick = this.engine.tick;
    if (this.snapshots.at(-1)?.tick === tick) return;
    const started = performance.now();
    const spot = this.engine.column('price')[tick];
    const profilePrices = priceGrid(spot, PROFILE_POINTS);
    const mapEdges = priceGrid(spot, MAP_BUCKETS + 1);
    // gammaProfile and liquidationMap return copies; the grids stay ours to transfer.
    const profileGex = this.engine.gammaProfile(profilePrices);
    const map = this.engine.liquidationMap(mapEdges);
    this.snapshots.push({
      tick,
      spot,
      profilePrices,
      profileGex,
      mapEdges,
      mapLong: map.long,
      mapShort: map.short,
      mapLending: map.lending,
    });
    this.lastSnapshot = performance.now();
    const cost = this.lastSnapshot - started;
    this.snapshotCost = this.snapshotCost > 0 ? 0.8 * this.snapshotCost + 0.2 * cost : cost;
  }

  /** Send the ticks simulated since the last frame, with the running summary and any snapshots. */
  private send(): void {
    const from = this.sent + 1;
    const to = this.engine.tick;
    const n = Math.max(0, to - from + 1);
    // Copies, not views: wasm memory may grow and detach views, and the buffer is transferred.
    const data = new Float64Array(FRAME_KEYS.length * n);
    if (n > 0) FRAME_KEYS.forEach((key, k) => data.set(this.engine.column(key).subarray(from, to + 1), k * n));
    const frame: Frame = {
      runId: this.runId,
      params: from === 0 ? this.params : undefined,
      ticks: this.engine.ticks,
      from,
      to: from + n - 1,
      data,
      summary: summarize(viewSeries(this.engine), this.params!, to),
      status: this.status,
      snapshots: this.snapshots,
    };
    this.snapshots = [];
    this.sent = to;
    this.emit(frame);
  }
}

/** The page's frame channel (`connect`). */
let frameSink: MessagePort | undefined;

const player: Promise<Player> = newEngine().then(
  (engine) => new Player(engine, (frame) => frameSink?.postMessage(frame, frameBuffers(frame))),
);
// The failure reaches the page through the first method call; do not also report it as unhandled.
player.catch(() => undefined);

/** What `testFault` can break, for the browser tests of the page's recovery. */
export type TestFault = 'throw' | 'hang';

const api = {
  /** Where frames go: the page transfers one end of a MessageChannel, once, before `start`; each frame is one message on it. */
  connect(port: MessagePort): void {
    frameSink = port;
  },
  /** The heartbeat: answered at once, even while the engine loads, unless the worker is stuck. */
  ping(): true {
    return true;
  },
  /**
   * After a fault, in a new worker: the run of `params` (on `grid`) computed again to `tick`, then
   * playing if `play`, else paused there. Frames go out as for an instant run. Returns the run id.
   */
  async resume(params: Params, grid: Float64Array | undefined, tick: number, play: boolean): Promise<number> {
    return (await player).resume(params, grid, tick, play);
  },
  /**
   * Browser tests only (a worker named `#test`; no link can name one): `throw` makes the next
   * step of a playing run throw, or the worker's next timer when nothing plays; `hang` makes the
   * worker stop answering for good.
   */
  testFault(kind: TestFault): void {
    if (!TEST_NAME) return;
    if (kind === 'hang') {
      setTimeout(() => {
        for (;;) {
          // spin: the worker never answers again
        }
      }, 0);
      return;
    }
    throwInNextPump = true;
    setTimeout(() => {
      if (!throwInNextPump) return;
      throwInNextPump = false;
      throw new Error('an exception inside the worker (a test threw it)');
    }, 50);
  },
  /**
   * Start a new run of `params` at tick 0 (dropping the current one); play it if `autoplay`.
   * `grid` (see `toGridBlock`) replaces the stylized option grid, e.g. with a real chain. Returns the run id.
   */
  async start(params: Params, autoplay: boolean, grid?: Float64Array): Promise<number> {
    return (await player).start(params, autoplay, grid);
  },
  /** Play the current run from where it stands; a finished run replays from tick 0. */
  async play(): Promise<void> {
    (await player).play();
  },
  async pause(): Promise<void> {
    (await player).pause();
  },
  /** Advance the current run by `n` ticks (default one) and hold it there. */
  async step(n = 1): Promise<void> {
    (await player).step(n);
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
