/**
 * The one place that constructs workers — the simulation workers and the pool of background
 * workers — and wraps them with Comlink. The UI imports this module and only the *type* of the
 * workers' APIs, never a worker or the engine itself.
 */
import * as Comlink from 'comlink';
import type { RunResult, RunTask } from '../model/batch.ts';
import type { BatchApi } from './batch-worker.ts';
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

/*
 * The page's pool of background workers for whole runs: the ensemble's seeds, the attribution's
 * coalitions and the stress map's cells. One worker per core (`navigator.hardwareConcurrency`):
 * the run that plays keeps its own worker (above), which the pool never uses. Tasks wait in one
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
  return Math.max(1, Math.min(MAX_WORKERS, cores));
}

export function createPagePool(onError: (message: string) => void, size = poolSize()): PagePool {
  const waiting: Waiting[] = [];
  const workers: { worker: Worker; api: Comlink.Remote<BatchApi>; busy: boolean }[] = [];

  function spawn(i: number) {
    const worker = new Worker(new URL('./batch-worker.ts', import.meta.url), { type: 'module', name: `pool ${i + 1}` });
    worker.addEventListener('error', (event) =>
      onError(
        event instanceof ErrorEvent && event.message ? event.message : 'a background worker stopped unexpectedly',
      ),
    );
    return { worker, api: Comlink.wrap<BatchApi>(worker), busy: false };
  }

  function pump(): void {
    for (const slot of workers) {
      if (slot.busy) continue;
      let next: Waiting | undefined;
      while ((next = waiting.shift()) && next.signal?.aborted) next.reject(new DOMException('aborted', 'AbortError'));
      if (!next) return;
      slot.busy = true;
      const job = next;
      slot.api
        .run(job.task)
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
