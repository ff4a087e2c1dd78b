/**
 * `cascade-lab run`: one simulation, printed as JSON or CSV. Parameters are layered
 * defaults < preset < --url < explicit flags, so a shared link can be replayed with one knob
 * changed, whatever order the flags come in. `--chain FILE` replaces the stylized option grid
 * with a real chain; a preset that names a price history gets it printed beside the run.
 */
import { presetGrid } from '../model/chains.ts';
import { ChainError, parseChain } from '../model/chain-import.ts';
import { readSeries, type EngineKind } from '../model/engine.ts';
import { toGridBlock } from '../model/option-grid.ts';
import { PRESETS, type Preset } from '../model/presets.ts';
import { SCHEMA, defaultParams, toEngineBlock, type Params } from '../model/schema.ts';
import { summarize } from '../model/summary.ts';
import { isParamKey, parseStrict } from '../model/validate.ts';
import { decodeQueryStrict } from '../state/url.ts';
import { UsageError, lastValue, mustBe, mustBeOneOf, parseFlags, pickOption, show, type FlagTable } from './args.ts';
import {
  InternalError,
  assertReportFinite,
  historyReport,
  reportCsv,
  reportJson,
  type ChainReport,
  type RunReport,
} from '../model/report.ts';
import type { CliDeps } from './deps.ts';

export const ENGINES: readonly EngineKind[] = ['wasm', 'reference'];
export const FORMATS = ['json', 'csv'] as const;

/** The options of `run` besides the parameters, with what each expects. */
const RUN_OPTIONS = new Map<string, string>([
  [
    'preset',
    mustBeOneOf(
      'preset',
      PRESETS.map((p) => p.name),
    ),
  ],
  ['url', 'url must be a Cascade Lab link or its query string'],
  ['engine', mustBeOneOf('engine', ENGINES)],
  ['format', mustBeOneOf('format', FORMATS)],
  ['out', 'out must be a file path'],
  ['chain', 'chain must be an options chain file: CSV (type,strike,expiry,open_interest) or Deribit book-summary JSON'],
]);

const RUN_FLAGS: FlagTable = new Map([
  ...RUN_OPTIONS,
  ...SCHEMA.map((spec): [string, string] => [spec.key, mustBe(spec)]),
]);

export async function runCommand(args: readonly string[], deps: CliDeps): Promise<void> {
  const flags = parseFlags('run', args, RUN_FLAGS);
  const engineKind = pickOption(flags, 'engine', ENGINES, 'wasm');
  const format = pickOption(flags, 'format', FORMATS, 'json');
  const { params, preset } = resolveParams(flags);
  const chainFile = lastValue(flags, 'chain');
  const chain = chainFile === undefined ? undefined : await readChain(chainFile, deps);
  const grid = chain?.grid ?? presetGrid(preset);

  const report: RunReport = {
    params,
    preset: preset?.name,
    chain: chain?.report,
    history: preset?.history === undefined ? undefined : historyReport(preset.history, params),
    ...(await simulate(params, engineKind, deps, grid)),
  };
  assertReportFinite(report);
  const text = format === 'json' ? reportJson(report) : reportCsv(report);

  const out = lastValue(flags, 'out');
  if (out === undefined) {
    deps.stdout(text);
    return;
  }
  try {
    await deps.writeFile(out, text);
  } catch (error) {
    throw new UsageError(`out: cannot write ${show(out)}: ${(error as Error).message}`);
  }
  deps.stderr(`cascade-lab: wrote ${params.ticks} ticks to ${out}\n`);
}

/** defaults < preset < --url < explicit parameter flags. */
function resolveParams(flags: readonly [string, string][]): { params: Params; preset?: Preset } {
  let params = defaultParams();
  const presetName = lastValue(flags, 'preset');
  let preset: Preset | undefined;
  if (presetName !== undefined) {
    preset = PRESETS.find((p) => p.name === presetName);
    if (!preset) throw new UsageError(`preset: ${show(presetName)} is not allowed; ${RUN_OPTIONS.get('preset')}`);
    params = parseStrict(Object.entries(preset.params) as [string, number | string][], params);
  }
  const url = lastValue(flags, 'url');
  if (url !== undefined) params = decodeQueryStrict(url, params);
  return {
    params: parseStrict(
      flags.filter(([key]) => isParamKey(key)),
      params,
    ),
    preset,
  };
}

/** The chain file as the engine's grid block, and what the report says about it. */
async function readChain(file: string, deps: CliDeps): Promise<{ grid: Float64Array; report: ChainReport }> {
  let text: string;
  try {
    text = await deps.readFile(file);
  } catch (error) {
    throw new UsageError(`chain: cannot read ${show(file)}: ${(error as Error).message}`);
  }
  try {
    const { grid, source, spot, asOf, instruments, rows, dropped, notes } = parseChain(text, file);
    return { grid: toGridBlock(grid), report: { file, source, spot, asOf, instruments, rows, dropped, notes } };
  } catch (error) {
    if (error instanceof ChainError) throw new UsageError(`chain: ${error.message}`);
    throw error;
  }
}

/** Run to the end and copy every column out (WASM columns are views of memory the next run reuses). */
async function simulate(
  params: Params,
  kind: EngineKind,
  deps: CliDeps,
  grid?: Float64Array,
): Promise<Pick<RunReport, 'summary' | 'series'>> {
  const engine = await deps.createEngine(kind);
  engine.init(toEngineBlock(params), grid);
  const reached = engine.step(params.ticks);
  if (reached !== params.ticks)
    throw new InternalError(`internal error: the ${kind} engine stopped at tick ${reached} of ${params.ticks}`);
  const series = readSeries(engine);
  return { summary: summarize(series, params), series };
}
