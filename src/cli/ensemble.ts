/**
 * `cascade-lab ensemble`: the run the flags describe over the seeds A to B, on a pool of
 * threads: every run's summary (the numbers `cascade-lab run --seed K` prints), each summary
 * field's mean and percentiles, the percentile bands of the price and the counterfactual tick
 * by tick, and the probability of a cascade. JSON, or CSV (one row a run).
 */
import type { RunResult } from '../model/batch.ts';
import { DEFAULT_CASCADE_DRAWDOWN, bands, cascadeProbability, summaryStats, type Band } from '../model/ensemble.ts';
import { assertFinite } from '../model/report.ts';
import type { Params } from '../model/schema.ts';
import type { Summary } from '../model/summary.ts';
import { mustBe, parseFlags, pickOption } from './args.ts';
import {
  WORKERS_FLAG,
  csvRow,
  flagTable,
  numberFlag,
  output,
  progress,
  readNumber,
  readSeeds,
  readWorkers,
  resolveRun,
  seedsExpect,
  summaryFields,
} from './batch.ts';
import type { CliDeps } from './deps.ts';
import { FORMATS } from './run.ts';

/** Most seeds one ensemble runs: its bands keep every run's price path. */
export const MAX_ENSEMBLE_SEEDS = 10_000;

export const CASCADE_FLAG = numberFlag('cascade', 'Cascade drawdown', 'float', 0, 1);

export const ENSEMBLE_FLAGS = flagTable([
  ['seeds', seedsExpect(MAX_ENSEMBLE_SEEDS)],
  ['format', `format must be one of ${FORMATS.join(', ')}`],
  ['workers', mustBe(WORKERS_FLAG)],
  ['cascade', mustBe(CASCADE_FLAG)],
  ['out', 'out must be a file path'],
]);

export interface EnsembleReport {
  params: Omit<Params, 'seed'>;
  seeds: { from: number; to: number };
  cascade: { drawdown: number; probability: number };
  summary: ReturnType<typeof summaryStats>;
  bands: { price: Band; cfPrice: Band };
  runs: { seed: number; summary: Summary }[];
}

export async function ensembleCommand(args: readonly string[], deps: CliDeps): Promise<void> {
  const flags = parseFlags('ensemble', args, ENSEMBLE_FLAGS);
  const format = pickOption(flags, 'format', FORMATS, 'json');
  const { from, to } = readSeeds(flags, MAX_ENSEMBLE_SEEDS);
  const threshold = readNumber(flags, CASCADE_FLAG, DEFAULT_CASCADE_DRAWDOWN);
  const run = await resolveRun(flags, deps);
  const seeds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const pool = await deps.createPool(run.engine, readWorkers(flags, deps, seeds.length));
  const keep = format === 'json' ? (['price', 'cfPrice'] as const) : [];
  const bar = progress(deps, seeds.length, 'runs');
  const results: RunResult[] = new Array(seeds.length);
  let done = 0;
  try {
    await Promise.all(
      seeds.map(async (seed, i) => {
        results[i] = await pool.run({ params: { ...run.params, seed } as Params, grid: run.grid, keep });
        bar.tick(++done);
      }),
    );
  } finally {
    await pool.close();
    bar.end();
  }
  const runs = seeds.map((seed, i) => ({ seed, summary: results[i].summary }));
  for (const r of runs) assertFinite(`seed ${r.seed}: summary`, r.summary as unknown as Record<string, number>);
  const summaries = runs.map((r) => r.summary);
  const { seed: _seed, ...shared } = run.params;
  const report: EnsembleReport = {
    params: shared,
    seeds: { from, to },
    cascade: { drawdown: threshold, probability: cascadeProbability(summaries, threshold) },
    summary: summaryStats(summaries),
    bands: {
      price: bands(results.map((r) => r.columns.price!)),
      cfPrice: bands(results.map((r) => r.columns.cfPrice!)),
    },
    runs,
  };
  const text = format === 'json' ? ensembleJson(report) : ensembleCsv(runs);
  await output(flags, deps, text, `${seeds.length} runs`);
}

/** Params and statistics a field a line; each band and each run one compact line. */
export function ensembleJson(report: EnsembleReport): string {
  const block = (entries: [string, unknown][], depth: number): string => {
    const pad = '  '.repeat(depth);
    return `{\n${entries.map(([k, v]) => `${pad}  ${JSON.stringify(k)}: ${v}`).join(',\n')}\n${pad}}`;
  };
  const compact = (value: unknown) => JSON.stringify(value);
  const band = (b: Band) =>
    block(
      Object.entries(b).map(([k, v]) => [k, compact(Array.from(v))]),
      2,
    );
  return `${block(
    [
      [
        'params',
        block(
          Object.entries(report.params).map(([k, v]) => [k, compact(v)]),
          1,
        ),
      ],
      ['seeds', compact(report.seeds)],
      ['cascade', compact(report.cascade)],
      [
        'summary',
        block(
          Object.entries(report.summary).map(([k, v]) => [k, compact(v)]),
          1,
        ),
      ],
      [
        'bands',
        block(
          [
            ['price', band(report.bands.price)],
            ['cfPrice', band(report.bands.cfPrice)],
          ],
          1,
        ),
      ],
      ['runs', `[\n${report.runs.map((r) => `    ${compact(r)}`).join(',\n')}\n  ]`],
    ],
    0,
  )}\n`;
}

/** `seed,<summary fields>`, one row a run. */
export function ensembleCsv(runs: readonly { seed: number; summary: Summary }[]): string {
  if (runs.length === 0) return '';
  const fields = summaryFields(runs[0].summary);
  return `${[csvRow(['seed', ...fields]), ...runs.map((r) => csvRow([r.seed, ...fields.map((f) => r.summary[f])]))].join('\n')}\n`;
}
