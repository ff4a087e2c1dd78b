/**
 * The one place that constructs workers — the simulation workers, the pool of background
 * workers and the chain-file reader — and wraps them with Comlink. The UI imports this module
 * and only the *type* of the workers' APIs, never a worker or the engine itself.
 *
 * A run's worker is supervised: if it dies (an `error` event), a call to it fails (an exception
 * inside it, an engine that would not load), or it stops answering the heartbeat, the supervisor
 * says so in plain words (`Health`), starts a new worker and has it resume the same run — the
 * same parameters and option grid, at the tick the page had reached, playing if it was playing,
 * at the same speed. A worker that keeps failing (more than `MAX_FAULTS` times within
 * `FAULT_WINDOW_MS`, as a run whose engine fails at the same tick would) is stopped, and says so;
 * a new run, or Play, tries again.
 *
 * Browser tests reach the workers through `window.__cascadeTest` (`TestHooks`), which only a
 * test's init script can create before the page loads: no link or page input can.
 */
import * as Comlink from 'comlink';
import type { RunResult, RunTask } from '../model/batch.ts';
import { ChainError, MAX_CHAIN_BYTES, chainTooLarge, type ChainImport } from '../model/chain-import.ts';
import type { Params } from '../model/schema.ts';
import type { BatchApi } from './batch-worker.ts';
import type { ChainReply } from './chain-worker.ts';
import { DEFAULT_TICKS_PER_SECOND, type Frame } from './frames.ts';
import type { SimulationApi, TestFault } from './worker.ts';

type Remote = Comlink.Remote<SimulationApi>;

/** The commands a page sends a run's worker (through the supervisor, which replays them after a fault); see worker.ts. */
export interface Simulation {
  start(params: Params, autoplay: boolean, grid?: Float64Array): Promise<number>;
  play(): Promise<void>;
  pause(): Promise<void>;
  step(n?: number): Promise<void>;
  reset(): Promise<void>;
  setSpeed(ticksPerSecond: number): Promise<void>;
}

/** What the page should say about a run's worker. */
export type Health =
  | { state: 'ok' }
  /** A fault happened; a new worker is resuming the run. */
  | { state: 'recovering'; message: string }
  /** The run failed again and again and was stopped; a new run (new parameters) tries again. */
  | { state: 'stopped'; message: string };

export interface SimulationHandle {
  sim: Simulation;
  /** Stop the worker and release the engine's memory. */
  terminate(): void;
}

/** How often the supervisor pings the worker. */
export const HEARTBEAT_INTERVAL_MS = 1000;
/**
 * A ping unanswered this long means the worker is stuck. The worker answers between batches of
 * work (at most about 50 ms each); only building a run's agents holds it longer — about a
 * second per million agents — so this is far beyond any honest pause.
 */
export const HEARTBEAT_TIMEOUT_MS = 15_000;
/** Faults within `FAULT_WINDOW_MS` that are recovered from; one more stops the run. */
export const MAX_FAULTS = 3;
export const FAULT_WINDOW_MS = 60_000;

/** Set by a browser test's init script before the page loads; never by the page itself. */
export interface TestHooks {
  /** Every worker the page started, newest last, for the test to terminate. */
  workers?: { name: string; worker: Worker }[];
  /** Shorter heartbeat timings, so a test waits seconds, not a quarter of a minute. */
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** The next this-many run workers fail to load their engine. */
  failEngineLoads?: number;
  /** Filled in by the page: break the newest worker named `name` from inside (see `TestFault`). */
  fault?: (name: string, kind: TestFault) => Promise<void>;
  /** Filled in by the page: the runs it shows (src/ui/page/simulations.svelte.ts), for the determinism test. */
  runs?: Record<string, () => unknown>;
}

/** The browser test's hooks, when a test's init script installed them before the page loaded. */
export function testHooks(): TestHooks | undefined {
  const hooks = (globalThis as { __cascadeTest?: unknown }).__cascadeTest;
  return typeof hooks === 'object' && hooks !== null ? (hooks as TestHooks) : undefined;
}

interface Spawned {
  worker: Worker;
  sim: Remote;
  /** The page's end of the worker's frame channel (see `Supervisor.#spawn`), once connected. */
  frames?: MessagePort;
}

/** A run worker started early (see `prewarm`); its errors wait in `missed` until a supervisor adopts it. */
interface Prewarmed {
  name: string;
  spawned: Spawned;
  errors: { missed: string[]; report?: (message: string) => void };
}

let prewarmed: Prewarmed | undefined;

/**
 * Start the run worker named `name` now, before the page's own code has loaded: it fetches and
 * compiles the engine while the page mounts, and the first supervised worker of that name adopts
 * it (a frozen 20,000-tick link starts computing some 0.3 s sooner). Called by src/main.ts.
 */
export function prewarm(name: string): void {
  if (prewarmed) return;
  const errors: Prewarmed['errors'] = { missed: [] };
  const spawned = spawn(name, (message) => (errors.report ? errors.report(message) : errors.missed.push(message)));
  prewarmed = { name, spawned, errors };
}

/** A new run worker named `name` (or the prewarmed one), reporting its errors to `onError`. */
function spawn(name: string, onError: (message: string) => void): Spawned {
  const early = prewarmed?.name === name ? prewarmed : undefined;
  if (early) {
    prewarmed = undefined;
    early.errors.report = onError;
    for (const message of early.errors.missed) queueMicrotask(() => onError(message));
    return early.spawned;
  }
  const hooks = testHooks();
  let workerName = name;
  if (hooks) {
    // The `#test` suffix is what lets the worker accept `testFault`; `fail-wasm` fails its engine load.
    const failing = (hooks.failEngineLoads ?? 0) > 0 && name !== 'sweep';
    if (failing) hooks.failEngineLoads! -= 1;
    workerName = `${name} #test${failing ? ':fail-wasm' : ''}`;
  }
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: workerName });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    const message = event instanceof ErrorEvent && event.message ? event.message : 'no reason given';
    onError(message.replace(/^Uncaught (?:\w*Error: )?/, ''));
  });
  worker.addEventListener('messageerror', () => onError('a message from the worker could not be read'));
  const sim = Comlink.wrap<SimulationApi>(worker);
  if (hooks) {
    (hooks.workers ??= []).push({ name, worker });
    hooks.fault ??= async (target, kind) => {
      const found = hooks.workers?.filter((w) => w.name === target).at(-1);
      if (!found) throw new Error(`no worker named ${target}`);
      await faultHandles.get(found.worker)?.testFault(kind);
    };
    faultHandles.set(worker, sim);
  }
  return { worker, sim };
}

/** The Comlink handle of each worker, for `TestHooks.fault` only. */
const faultHandles = new WeakMap<Worker, Remote>();

function release({ worker, sim, frames }: Spawned): void {
  sim[Comlink.releaseProxy]();
  frames?.close();
  worker.terminate();
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Error: /, '').trim() || 'no reason given';
}

/**
 * One run's worker, replaced whenever it fails. Holds what a new worker needs to resume: the
 * run (parameters, grid), the tick and status the page has of it, the speed. Frames of the
 * workers reach `onFrame` with run ids that keep increasing across workers, so the page's run
 * state always takes a resumed run for a newer one.
 */
class Supervisor {
  readonly sim: Simulation;
  #spawned: Spawned | undefined;
  #generation = 0;
  #runIdBase = 0;
  #runIdSeen = 0;
  /** Frames of runs up to this id are older than the newest `start`: not the run to resume. */
  #runIdBeforeStart = 0;
  #run: { params: Params; grid?: Float64Array } | undefined;
  #tick = 0;
  #playing = false;
  #speed = DEFAULT_TICKS_PER_SECOND;
  #health: Health['state'] = 'ok';
  /** When the recent faults happened (performance.now()), oldest first. */
  #faults: number[] = [];
  /** Commands that came while a new worker was resuming, to apply once it has. */
  #startedMeanwhile = false;
  #pingSent: number | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(
    private readonly name: string,
    /** How the page names the run in messages: "the run", "run B". */
    private readonly label: () => string,
    private readonly onFrame: (frame: Frame) => void,
    private readonly onHealth: (health: Health) => void,
  ) {
    this.sim = {
      start: async (params, autoplay, grid) => {
        this.#run = { params, grid };
        this.#tick = 0;
        this.#playing = autoplay;
        this.#faults = [];
        this.#runIdBeforeStart = this.#runIdSeen;
        if (this.#health === 'stopped') {
          this.#recover(undefined);
          return 0;
        }
        if (this.#health === 'recovering') {
          this.#startedMeanwhile = true;
          return 0;
        }
        return this.#call((sim) => sim.start(params, autoplay, grid), 0);
      },
      play: async () => {
        this.#playing = true;
        if (this.#health === 'stopped') {
          this.#faults = [];
          this.#recover(undefined);
          return;
        }
        await this.#command((sim) => sim.play());
      },
      pause: async () => {
        this.#playing = false;
        await this.#command((sim) => sim.pause());
      },
      step: async (n) => {
        this.#playing = false;
        await this.#command((sim) => sim.step(n));
      },
      reset: async () => {
        this.#playing = false;
        this.#tick = 0;
        await this.#command((sim) => sim.reset());
      },
      setSpeed: async (ticksPerSecond) => {
        this.#speed = ticksPerSecond;
        await this.#command((sim) => sim.setSpeed(ticksPerSecond));
      },
    };
    this.#spawn();
    const hooks = testHooks();
    this.#heartbeat = setInterval(() => this.#beat(), hooks?.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
  }

  terminate(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    if (this.#spawned) release(this.#spawned);
    this.#spawned = undefined;
  }

  #spawn(): void {
    const generation = ++this.#generation;
    const current = (): boolean => generation === this.#generation && !this.#closed;
    const spawned = spawn(this.name, (message) => {
      if (current()) this.#fault(`stopped unexpectedly: ${message}`);
    });
    this.#spawned = spawned;
    this.#pingSent = undefined;
    const base = this.#runIdBase;
    // Frames come on a channel of their own, as plain messages (their buffers transferred): a
    // Comlink callback would cost the page a request to decode and a reply to post per frame.
    const channel = new MessageChannel();
    spawned.frames = channel.port1;
    channel.port1.onmessage = (event: MessageEvent<Frame>) => {
      if (!current()) return;
      const frame = event.data;
      frame.runId += base;
      this.#track(frame);
      this.onFrame(frame);
    };
    spawned.sim
      .connect(Comlink.transfer(channel.port2, [channel.port2]))
      .catch((error: unknown) => current() && this.#fault(`could not be reached: ${messageOf(error)}`));
  }

  /** Keep what a resume needs from the newest run's frames. */
  #track(frame: Frame): void {
    this.#runIdSeen = Math.max(this.#runIdSeen, frame.runId);
    if (frame.runId <= this.#runIdBeforeStart || frame.runId < this.#runIdSeen) return;
    this.#tick = frame.to >= frame.from ? frame.to : this.#tick;
    if (this.#health === 'ok') this.#playing = frame.status === 'playing';
  }

  /** A command to the current worker, unless it is being replaced (the resume applies the intent). */
  async #command(action: (sim: Remote) => Promise<unknown>): Promise<void> {
    if (this.#health !== 'ok') return;
    await this.#call(action, undefined);
  }

  async #call<T>(action: (sim: Remote) => Promise<T>, fallback: T): Promise<T> {
    const spawned = this.#spawned;
    if (!spawned) return fallback;
    const generation = this.#generation;
    try {
      return await action(spawned.sim);
    } catch (error) {
      if (generation === this.#generation && !this.#closed) this.#fault(`failed: ${messageOf(error)}`);
      return fallback;
    }
  }

  #beat(): void {
    if (this.#closed || !this.#spawned || this.#health === 'stopped') return;
    const timeout = testHooks()?.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    if (this.#pingSent !== undefined) {
      if (performance.now() - this.#pingSent > timeout)
        this.#fault(`stopped answering for ${Math.round(timeout / 1000)} s`);
      return;
    }
    const generation = this.#generation;
    this.#pingSent = performance.now();
    this.#spawned.sim.ping().then(
      () => {
        if (generation === this.#generation) this.#pingSent = undefined;
      },
      // A failed ping is a dead worker: the error event or the timeout reports it.
      () => undefined,
    );
  }

  /** The worker failed: `what` it did, in words that follow "The simulation" ("stopped answering for 15 s"). */
  #fault(what: string): void {
    if (this.#closed || this.#health === 'stopped') return;
    if (this.#spawned) release(this.#spawned);
    this.#spawned = undefined;
    this.#generation++;
    const now = performance.now();
    this.#faults = [...this.#faults.filter((t) => now - t < FAULT_WINDOW_MS), now];
    if (this.#faults.length > MAX_FAULTS) {
      this.#health = 'stopped';
      this.onHealth({
        state: 'stopped',
        message: `The simulation of ${this.label()} failed ${this.#faults.length} times within a minute and was stopped at tick ${this.#tick}; the last time it ${what}. Change a parameter or press Play to try again, or reload the page.`,
      });
      return;
    }
    this.#recover(what);
  }

  /** Start a new worker and have it resume the run; `what` (the fault) undefined: a new run after a stop. */
  #recover(what: string | undefined): void {
    this.#health = 'recovering';
    this.#startedMeanwhile = false;
    const where = this.#run ? `, and ${this.label()} resumes at tick ${this.#tick} with the same parameters` : '';
    this.onHealth({
      state: 'recovering',
      message: what
        ? `The simulation ${what}. It is being restarted${where}.`
        : `Starting the simulation again${where}.`,
    });
    // The new worker's run ids start at 1 again: shift them past every id the page has seen.
    this.#runIdBase = this.#runIdSeen;
    this.#runIdBeforeStart = this.#runIdSeen;
    this.#spawn();
    const generation = this.#generation;
    void this.#resume(generation);
  }

  async #resume(generation: number): Promise<void> {
    const spawned = this.#spawned!;
    try {
      await spawned.sim.setSpeed(this.#speed);
      if (this.#run) await spawned.sim.resume(this.#run.params, this.#run.grid, this.#tick, this.#playing);
      // Commands that came meanwhile: a new run replaces the resumed one.
      while (this.#startedMeanwhile && generation === this.#generation) {
        this.#startedMeanwhile = false;
        await spawned.sim.setSpeed(this.#speed);
        await spawned.sim.start(this.#run!.params, this.#playing, this.#run!.grid);
      }
    } catch (error) {
      if (generation === this.#generation && !this.#closed)
        this.#fault(`failed while resuming the run: ${messageOf(error)}`);
      return;
    }
    if (generation !== this.#generation || this.#closed) return;
    this.#health = 'ok';
    if (this.#playing) void this.#call((sim) => sim.play(), undefined);
    this.onHealth({ state: 'ok' });
  }
}

/**
 * Start a supervised worker and subscribe `onFrame` to its frames. Calls may be made at once:
 * Comlink keeps their order and the worker answers them when its engine has loaded. `onHealth`
 * hears when the worker fails, is being replaced, is back (`ok`), or was given up on.
 * `label` names the run in messages ("the run", "run B").
 */
export function startSimulation(
  onFrame: (frame: Frame) => void,
  onHealth: (health: Health) => void,
  name = 'simulation',
  label: () => string = () => 'the run',
): SimulationHandle {
  const supervisor = new Supervisor(name, label, onFrame, onHealth);
  return { sim: supervisor.sim, terminate: () => supervisor.terminate() };
}

/*
 * The page's pool of background workers for whole runs: the ensemble's seeds, the attribution's
 * coalitions and the stress map's cells. One worker per core but one
 * (`navigator.hardwareConcurrency` − 1, at least one): the page's own thread and the run that
 * plays (its own worker, above, which the pool never uses) keep a core, so the page stays smooth
 * while the pool is busy — on two cores a pool of two cost the page 36 tasks over 50 ms in 8 s,
 * a pool of one 3, for 100 seeds in 6.9 s instead of 4.5 (`npm run bench:browser`, `npm run bench`). Tasks wait in one
 * queue, higher priority first (the attribution's few runs before an ensemble's hundred), and a
 * task whose signal aborts before it starts never runs.
 */

export interface PagePool {
  /** Workers in the pool. */
  readonly size: number;
  /** Run `task` when a worker is free, before every waiting task of lower `priority`. Rejects with an AbortError if `signal` aborts first. */
  run(task: RunTask, options?: { priority?: number; signal?: AbortSignal }): Promise<RunResult>;
  terminate(): void;
}

interface PoolSlot {
  worker: Worker;
  api: Comlink.Remote<BatchApi>;
  busy: boolean;
  /** Rejects when the worker dies. */
  died: Promise<never>;
}

interface Waiting {
  task: RunTask;
  priority: number;
  signal?: AbortSignal;
  resolve: (result: RunResult) => void;
  reject: (error: unknown) => void;
}

/** Most workers the pool starts, however many cores report. */
const MAX_WORKERS = 16;

export function poolSize(cores = navigator.hardwareConcurrency || 2): number {
  return Math.max(1, Math.min(MAX_WORKERS, cores - 1));
}

export function createPagePool(onError: (message: string) => void, size = poolSize()): PagePool {
  const waiting: Waiting[] = [];
  const workers: PoolSlot[] = [];

  /**
   * A worker that dies (an `error` event: it crashed, or its engine would not load) is replaced at
   * once, and the task it was running rejects, saying so, rather than waiting for ever.
   */
  function spawn(i: number): PoolSlot {
    const worker = new Worker(new URL('./batch-worker.ts', import.meta.url), { type: 'module', name: `pool ${i + 1}` });
    let die: (error: Error) => void = () => undefined;
    const died = new Promise<never>((_, reject) => (die = reject));
    died.catch(() => undefined);
    const slot: PoolSlot = { worker, api: Comlink.wrap<BatchApi>(worker), busy: false, died };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      const message =
        event instanceof ErrorEvent && event.message ? event.message : 'a background worker stopped unexpectedly';
      onError(message);
      die(new Error(`a background worker stopped (${message}); it was restarted`));
      const at = workers.indexOf(slot);
      if (at < 0) return;
      slot.api[Comlink.releaseProxy]();
      worker.terminate();
      workers[at] = spawn(at);
      pump();
    });
    return slot;
  }

  function pump(): void {
    for (const slot of workers) {
      if (slot.busy) continue;
      let next: Waiting | undefined;
      while ((next = waiting.shift()) && next.signal?.aborted) next.reject(new DOMException('aborted', 'AbortError'));
      if (!next) return;
      slot.busy = true;
      const job = next;
      Promise.race([slot.api.run(job.task), slot.died])
        .then(job.resolve, job.reject)
        .finally(() => {
          slot.busy = false;
          pump();
        });
    }
  }

  return {
    size,
    run(task, { priority = 0, signal } = {}) {
      if (workers.length === 0) for (let i = 0; i < size; i++) workers.push(spawn(i));
      return new Promise<RunResult>((resolve, reject) => {
        const at = waiting.findIndex((w) => w.priority < priority);
        const entry = { task, priority, signal, resolve, reject };
        if (at < 0) waiting.push(entry);
        else waiting.splice(at, 0, entry);
        signal?.addEventListener('abort', () => {
          const k = waiting.indexOf(entry);
          if (k >= 0) {
            waiting.splice(k, 1);
            reject(new DOMException('aborted', 'AbortError'));
          }
        });
        pump();
      });
    },
    terminate() {
      for (const w of waiting.splice(0)) w.reject(new DOMException('terminated', 'AbortError'));
      for (const { worker, api } of workers.splice(0)) {
        api[Comlink.releaseProxy]();
        worker.terminate();
      }
    },
  };
}

/**
 * Read and parse an options chain file in a worker of its own (src/sim/chain-worker.ts), so the
 * page stays responsive however large the file. A file over `MAX_CHAIN_BYTES` is refused before
 * anything is read; a file that is no chain rejects with the ChainError naming the line at fault.
 */
export async function readChainFile(file: File): Promise<ChainImport> {
  if (file.size > MAX_CHAIN_BYTES) throw new ChainError(chainTooLarge(file.name, file.size));
  const worker = new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module', name: 'chain file' });
  try {
    return await new Promise<ChainImport>((resolve, reject) => {
      worker.addEventListener('message', (event: MessageEvent<ChainReply>) => {
        const reply = event.data;
        if (reply.ok) resolve(reply.chain);
        else reject(reply.chainError ? new ChainError(reply.message) : new Error(reply.message));
      });
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        reject(new Error(`could not read ${file.name}: ${event.message || 'the file reader stopped'}`));
      });
      worker.postMessage({ file });
    });
  } finally {
    worker.terminate();
  }
}

/** The page's one pool, made on first use and shared by everything that runs in the background. */
let shared: PagePool | undefined;
const listeners = new Set<(message: string) => void>();
export function pagePool(onError: (message: string) => void): PagePool {
  listeners.add(onError);
  shared ??= createPagePool((message) => listeners.forEach((l) => l(message)));
  return shared;
}

/** Whether an error is the pool's "aborted before it ran". */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
