/**
 * `cascade-lab sweep`: the stress map's data at scale — a grid of two parameters × seeds, every
 * run's summary as one CSV row — on a local pool of threads, or with `--queue redis://…` as jobs
 * on a BullMQ queue that `cascade-lab worker` processes on any number of machines. Both give the
 * same bytes: rows in grid order (up the y axis, across the x axis, then the seeds).
 */
import type { Summary } from '../model/summary.ts';
import { SWEEPABLE, newSweep, sweepRuns, sweepSpec, type Sweep } from '../model/sweep.ts';
import { UsageError, lastValue, mustBe, parseFlags, show } from './args.ts';
import {
  QUEUE_EXPECTS,
  WORKERS_FLAG,
  csvRow,
  flagTable,
  numberFlag,
  output,
  progress,
  readNumber,
  readQueueUrl,
  readSeeds,
  readWorkers,
  resolveRun,
  seedsExpect,
  summaryFields,
} from './batch.ts';
import type { CliDeps } from './deps.ts';

export const MAX_SWEEP_SEEDS = 10_000;
export const MAX_SWEEP_RUNS = 1_000_000;
const POINTS = numberFlag('N', 'Values on the axis', 'int', 1, 100);

function axisExpects(axis: 'x' | 'y'): string {
  return `${axis} must be KEY=FROM:TO:N: KEY a numeric parameter (${SWEEPABLE.map((s) => s.key).join(', ')}), FROM and TO within its range, N an integer in [1, 100]`;
}

export const SWEEP_FLAGS = flagTable([
  ['x', axisExpects('x')],
  ['y', axisExpects('y')],
  ['seeds', seedsExpect(MAX_SWEEP_SEEDS)],
  ['workers', mustBe(WORKERS_FLAG)],
  ['queue', QUEUE_EXPECTS],
  ['out', 'out must be a file path'],
]);

interface AxisFlag {
  key: string;
  range: [number, number];
  points: number;
}

/** `--x KEY=FROM:TO:N`, each part checked as the parameter KEY checks its values. */
function readAxis(flags: readonly [string, string][], axis: 'x' | 'y'): AxisFlag {
  const raw = lastValue(flags, axis);
  if (raw === undefined) throw new UsageError(`${axis}: a value is missing; ${axisExpects(axis)}`);
  const match = /^([A-Za-z]\w*)=([^:]+):([^:]+):([^:]+)$/.exec(raw.trim());
  if (!match) throw new UsageError(`${axis}: ${show(raw)} is not allowed; ${axisExpects(axis)}`);
  const [, key, from, to, n] = match;
  if (!SWEEPABLE.some((s) => s.key === key))
    throw new UsageError(`${axis}: ${show(key)} is not a parameter a sweep can vary; ${axisExpects(axis)}`);
  const spec = sweepSpec(key);
  const read = (value: string) => readNumber([[key, value]], spec, NaN);
  const points = readNumber([['N', n]], POINTS, 1);
  return { key, range: [read(from), read(to)], points };
}

export async function sweepCommand(args: readonly string[], deps: CliDeps): Promise<void> {
  const flags = parseFlags('sweep', args, SWEEP_FLAGS);
  const x = readAxis(flags, 'x');
  const y = readAxis(flags, 'y');
  if (x.key === y.key) throw new UsageError(`y: ${show(y.key)} is the x parameter too; the two axes must differ`);
  const { from, to } = readSeeds(flags, MAX_SWEEP_SEEDS);
  const queueRaw = lastValue(flags, 'queue');
  const queue = queueRaw === undefined ? undefined : readQueueUrl(queueRaw);
  const run = await resolveRun(flags, deps);
  const seeds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const sweep = newSweep(x, y, { x: x.points, y: y.points }, run.params, { seeds });
  const runs = sweepRuns(sweep);
  if (runs.length > MAX_SWEEP_RUNS)
    throw new UsageError(
      `seeds: ${sweep.xs.length} × ${sweep.ys.length} cells × ${seeds.length} seeds is ${runs.length} runs; a sweep runs at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')}`,
    );
  const summaries: Summary[] = new Array(runs.length);
  const bar = progress(deps, runs.length, 'runs');
  let done = 0;
  const record = (index: number, summary: Summary) => {
    summaries[index] = summary;
    bar.tick(++done);
  };
  try {
    if (queue !== undefined) {
      const grid = run.grid ? Array.from(run.grid) : null;
      const { runOnQueue } = await import('./queue.ts');
      await runOnQueue(
        queue,
        runs.map((r) => ({ params: r.params, grid, engine: run.engine })),
        record,
      );
    } else {
      const pool = await deps.createPool(run.engine, readWorkers(flags, deps, runs.length));
      try {
        await Promise.all(
          runs.map(async (r, index) => record(index, (await pool.run({ params: r.params, grid: run.grid })).summary)),
        );
      } finally {
        await pool.close();
      }
    }
  } finally {
    bar.end();
  }
  await output(flags, deps, sweepCsv(sweep, summaries), `${runs.length} runs`);
}

/** `<x key>,<y key>,seed,<summary fields>`: one row a run, in `sweepRuns` order. */
export function sweepCsv(sweep: Sweep, summaries: readonly Summary[]): string {
  const runs = sweepRuns(sweep);
  const fields = summaryFields(summaries[0]);
  const rows = runs.map((r, k) =>
    csvRow([r.params[sweep.xKey], r.params[sweep.yKey], r.seed, ...fields.map((f) => summaries[k][f])]),
  );
  return `${[csvRow([sweep.xKey, sweep.yKey, 'seed', ...fields]), ...rows].join('\n')}\n`;
}
