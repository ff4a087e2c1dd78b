/**
 * `cascade-lab run`: one simulation, printed as JSON or CSV. Parameters are layered
 * defaults < preset < --url < explicit flags, so a shared link can be replayed with one knob
 * changed, whatever order the flags come in.
 */
import type { EngineKind } from '../model/engine.ts';
import { PRESETS } from '../model/presets.ts';
import { SCHEMA, defaultParams, toEngineBlock, type Params } from '../model/schema.ts';
import { SERIES_KEYS, type Series } from '../model/series.ts';
import { summarize } from '../model/summary.ts';
import { isParamKey, parseStrict } from '../model/validate.ts';
import { decodeQueryStrict } from '../state/url.ts';
import { UsageError, lastValue, mustBe, mustBeOneOf, parseFlags, pickOption, show, type FlagTable } from './args.ts';
import type { CliDeps } from './deps.ts';
import { InternalError, assertReportFinite, reportCsv, reportJson, type RunReport } from './report.ts';

export const ENGINES: readonly EngineKind[] = ['wasm', 'reference'];
export const FORMATS = ['json', 'csv'] as const;

/** The options of `run` besides the parameters, with what each expects. */
const RUN_OPTIONS = new Map<string, string>([
  ['preset', mustBeOneOf('preset', PRESETS.map((p) => p.name))],
  ['url', 'url must be a Cascade Lab link or its query string'],
  ['engine', mustBeOneOf('engine', ENGINES)],
  ['format', mustBeOneOf('format', FORMATS)],
  ['out', 'out must be a file path'],
]);

const RUN_FLAGS: FlagTable = new Map([
  ...RUN_OPTIONS,
  ...SCHEMA.map((spec): [string, string] => [spec.key, mustBe(spec)]),
]);

export async function runCommand(args: readonly string[], deps: CliDeps): Promise<void> {
  const flags = parseFlags('run', args, RUN_FLAGS);
  const engineKind = pickOption(flags, 'engine', ENGINES, 'wasm');
  const format = pickOption(flags, 'format', FORMATS, 'json');
  const params = resolveParams(flags);

  const report = await simulate(params, engineKind, deps);
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
function resolveParams(flags: readonly [string, string][]): Params {
  let params = defaultParams();
  const presetName = lastValue(flags, 'preset');
  if (presetName !== undefined) {
    const preset = PRESETS.find((p) => p.name === presetName);
    if (!preset) throw new UsageError(`preset: ${show(presetName)} is not allowed; ${RUN_OPTIONS.get('preset')}`);
    params = parseStrict(Object.entries(preset.params) as [string, number | string][], params);
  }
  const url = lastValue(flags, 'url');
  if (url !== undefined) params = decodeQueryStrict(url, params);
  return parseStrict(
    flags.filter(([key]) => isParamKey(key)),
    params,
  );
}

/** Run to the end and copy every column out (WASM columns are views of memory the next run reuses). */
async function simulate(params: Params, kind: EngineKind, deps: CliDeps): Promise<RunReport> {
  const engine = await deps.createEngine(kind);
  engine.init(toEngineBlock(params));
  const reached = engine.step(params.ticks);
  if (reached !== params.ticks) throw new InternalError(`internal error: the ${kind} engine stopped at tick ${reached} of ${params.ticks}`);
  const series = Object.fromEntries(SERIES_KEYS.map((key) => [key, engine.column(key).slice()])) as Series;
  return { params, summary: summarize(series), series };
}
