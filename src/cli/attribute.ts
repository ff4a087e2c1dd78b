/**
 * `cascade-lab attribute`: the run's max drawdown split into the shock and each feedback loop
 * present, by Shapley values over the loops switched on and off on the same seed
 * (src/model/attribution.ts); the coalitions' runs go to a pool of threads. The parts add up to
 * `drawdown`.
 */
import { coalitionParams, combineAttribution, planAttribution } from '../model/attribution.ts';
import { assertFinite } from '../model/report.ts';
import { UsageError, mustBe, mustBeOneOf, parseFlags, pickOption } from './args.ts';
import { WORKERS_FLAG, flagTable, numberFlag, output, progress, readNumber, readWorkers, resolveRun } from './batch.ts';
import type { CliDeps } from './deps.ts';

export const METHODS = ['auto', 'exact', 'sampled'] as const;
export const PERMUTATIONS_FLAG = numberFlag('permutations', 'Sampled permutations', 'int', 4, 1000);

export const ATTRIBUTE_FLAGS = flagTable([
  ['method', mustBeOneOf('method', METHODS)],
  ['permutations', `${mustBe(PERMUTATIONS_FLAG)}, and even`],
  ['workers', mustBe(WORKERS_FLAG)],
  ['out', 'out must be a file path'],
]);

export async function attributeCommand(args: readonly string[], deps: CliDeps): Promise<void> {
  const flags = parseFlags('attribute', args, ATTRIBUTE_FLAGS);
  const method = pickOption(flags, 'method', METHODS, 'auto');
  const permutations = readNumber(flags, PERMUTATIONS_FLAG, 16);
  if (permutations % 2 !== 0)
    throw new UsageError(`permutations: "${permutations}" is not allowed; ${ATTRIBUTE_FLAGS.get('permutations')}`);
  const run = await resolveRun(flags, deps);
  const plan = planAttribution(run.params, { method, permutations });
  const pool = await deps.createPool(run.engine, readWorkers(flags, deps, plan.coalitions.length));
  const bar = progress(deps, plan.coalitions.length, 'runs');
  const drawdowns = new Map<number, number>();
  let counterfactualDrawdown = 0;
  const full = (1 << plan.present.length) - 1;
  try {
    await Promise.all(
      plan.coalitions.map(async (mask) => {
        const { summary } = await pool.run({ params: coalitionParams(run.params, plan, mask), grid: run.grid });
        drawdowns.set(mask, summary.maxDrawdown);
        if (mask === full) counterfactualDrawdown = summary.counterfactualDrawdown;
        bar.tick(drawdowns.size);
      }),
    );
  } finally {
    await pool.close();
    bar.end();
  }
  const attribution = combineAttribution(plan, drawdowns);
  const report = {
    params: run.params,
    drawdown: attribution.drawdown,
    counterfactualDrawdown,
    contributions: attribution.contributions,
    method: attribution.method,
    error: attribution.error,
    loops: plan.present,
    runs: attribution.runs,
  };
  assertFinite('attribution', { drawdown: report.drawdown, error: report.error, ...report.contributions });
  const field = (key: string, value: unknown) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  const text = [
    '{',
    [
      `  "params": ${JSON.stringify(report.params, null, 2).replaceAll('\n', '\n  ')}`,
      field('drawdown', report.drawdown),
      field('counterfactualDrawdown', report.counterfactualDrawdown),
      `  "contributions": ${JSON.stringify(report.contributions, null, 2).replaceAll('\n', '\n  ')}`,
      field('method', report.method),
      field('error', report.error),
      field('loops', report.loops),
      field('runs', report.runs),
    ].join(',\n'),
    '}',
    '',
  ].join('\n');
  await output(flags, deps, text, 'the attribution');
}
