/**
 * One whole run as a task for a pool of engines (the page's background workers, the CLI's
 * threads and queue workers): run to the end, summarize exactly as `cascade-lab run` does, and
 * keep only the columns asked for. Pure over the `Engine` interface, so every pool runs the same
 * code and a task's summary is the single run's, number for number.
 */
import { viewSeries, type Engine } from './engine.ts';
import { toEngineBlock, type Params } from './schema.ts';
import type { SeriesKey } from './series.ts';
import { summarize, type Summary } from './summary.ts';

export interface RunTask {
  params: Params;
  /** The option grid block (see `toGridBlock`); the stylized default when undefined. */
  grid?: Float64Array;
  /** Columns to return, copied (none by default). */
  keep?: readonly SeriesKey[];
}

export interface RunResult {
  summary: Summary;
  columns: Partial<Record<SeriesKey, Float64Array>>;
}

export function runTask(engine: Engine, task: RunTask): RunResult {
  const { params } = task;
  engine.init(toEngineBlock(params), task.grid);
  const reached = engine.step(params.ticks as number);
  if (reached !== params.ticks)
    throw new Error(`the ${engine.kind} engine stopped at tick ${reached} of ${params.ticks}`);
  const summary = summarize(viewSeries(engine), params);
  const columns: RunResult['columns'] = {};
  for (const key of task.keep ?? []) columns[key] = engine.column(key).slice();
  return { summary, columns };
}

/** Somewhere to run tasks: a pool of threads or workers, or one engine in this thread. */
export interface RunPool {
  /** Tasks it runs at once. */
  readonly size: number;
  run(task: RunTask): Promise<RunResult>;
  close(): Promise<void>;
}

/** A pool of one: the tasks run one after another on `engine`, in this thread. */
export function enginePool(engine: Engine): RunPool {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    size: 1,
    run(task) {
      const result = queue.then(() => runTask(engine, task));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await queue;
    },
  };
}
