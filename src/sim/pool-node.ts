/**
 * The CLI's pool of engine threads (Piscina over worker_threads): `cascade-lab ensemble`,
 * `attribute`, `sweep` and the queue `worker` hand it whole runs, one per thread at a time.
 * Each thread loads the TypeScript sources through tsx, as the `cascade-lab` launcher does.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { RunPool, RunResult } from '../model/batch.ts';
import type { EngineKind } from '../model/engine.ts';
import type { ThreadTask } from './pool-thread.ts';

/** Threads when none are asked for: one per core. */
export function defaultThreads(): number {
  return availableParallelism();
}

export function threadPool(threads: number, engine: EngineKind): RunPool {
  const piscina = new Piscina<ThreadTask, RunResult>({
    filename: new URL('./pool-thread.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // A thread takes the next task only when it is free, so the tasks spread over every thread.
    concurrentTasksPerWorker: 1,
    execArgv: [...process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof')), '--import', 'tsx'],
  });
  return {
    size: threads,
    run: (task) => piscina.run({ ...task, engine }),
    close: () => piscina.destroy(),
  };
}
