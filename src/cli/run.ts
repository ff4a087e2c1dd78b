/**
 * `cascade-lab run`: one simulation, printed as JSON or CSV. Parameters are layered
 * defaults < preset < --url < explicit flags, so a shared link can be replayed with one knob
 * changed, whatever order the flags come in. `--chain FILE` replaces the stylized option grid
 * with a real chain; a preset that names a price history gets it printed beside the run.
 */
import { CHAINS, chainGrid, isChainId, presetGrid, type ChainId } from '../model/chains.ts';
import { ChainError, parseChain } from '../model/chain-import.ts';
import { readSeries, type EngineKind } from '../model/engine.ts';
import { toGridBlock } from '../model/option-grid.ts';
import { HISTORY_IDS, isHistoryId, type HistoryId } from '../model/history.ts';
import { PRESETS, type Preset } from '../model/presets.ts';
import { SCHEMA, defaultParams, toEngineBlock, type Params } from '../model/schema.ts';
import { summarize } from '../model/summary.ts';
import { isParamKey, parseStrict } from '../model/validate.ts';
import { B_PREFIX, CHAIN_KEY, COMPARE_FLAG, HISTORY_KEY, PAGE_KEYS, PRESET_KEY } from '../state/location.ts';
import { decodeQueryStrict, queryPart } from '../state/url.ts';
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
export const RUN_OPTIONS = new Map<string, string>([
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
  const { params, preset, linkChain, linkHistory, notices } = resolveParams(flags);
  for (const notice of notices) deps.stderr(`cascade-lab: ${notice}\n`);
  const chainFile = lastValue(flags, 'chain');
  const chain = chainFile === undefined ? undefined : await readChain(chainFile, deps);
  const grid = chain?.grid ?? (linkChain ? chainGrid(linkChain) : presetGrid(preset));
  const history = linkHistory ?? (preset?.history as HistoryId | undefined);

  const report: RunReport = {
    params,
    preset: preset?.name,
    chain: chain?.report ?? (linkChain && { id: linkChain, label: CHAINS[linkChain].label }),
    history: history === undefined ? undefined : historyReport(history, params),
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

/** What `resolveParams` makes of the flags: the parameters, the preset, what the link names beside them, and what it ignored. */
export interface ResolvedParams {
  params: Params;
  preset?: Preset;
  /** The options chain the link names (`chain=`): the run uses it unless `--chain FILE` gives one. */
  linkChain?: ChainId;
  /** The real price path the link names (`history=`): printed beside the run. */
  linkHistory?: HistoryId;
  /** The page entries of the link the CLI does not apply, one line each, for stderr. */
  notices: string[];
}

/**
 * defaults < preset < --url < explicit parameter flags. The link may hold every entry the page
 * writes: `preset=`, `chain=` and `history=` are applied (a preset's parameters under the link's
 * own, as on the page); run B's entries (`compare=1`, `b.<key>=`) and the page's view entries
 * (`frozen`, `t`, `stress`, the widget's) are ignored, each with a notice.
 */
export function resolveParams(flags: readonly [string, string][]): ResolvedParams {
  let params = defaultParams();
  const presetName = lastValue(flags, 'preset');
  let preset: Preset | undefined;
  if (presetName !== undefined) {
    preset = PRESETS.find((p) => p.name === presetName);
    if (!preset) throw new UsageError(`preset: ${show(presetName)} is not allowed; ${RUN_OPTIONS.get('preset')}`);
    params = parseStrict(Object.entries(preset.params) as [string, number | string][], params);
  }
  const url = lastValue(flags, 'url');
  const link = url === undefined ? undefined : readPageEntries(url);
  if (link?.preset) {
    preset = link.preset;
    params = parseStrict(Object.entries(preset.params) as [string, number | string][], params);
  }
  if (link) params = decodeQueryStrict(link.query, params);
  return {
    params: parseStrict(
      flags.filter(([key]) => isParamKey(key)),
      params,
    ),
    preset,
    linkChain: link?.chain ?? (link?.preset ? link.preset.chain : undefined),
    linkHistory: link?.history ?? (link?.preset ? (link.preset.history as HistoryId | undefined) : undefined),
    notices: link?.notices ?? [],
  };
}

/** A link's page entries taken out of it: what they name, what is ignored, and the query of parameters left. */
function readPageEntries(url: string): {
  query: string;
  preset?: Preset;
  chain?: ChainId;
  history?: HistoryId;
  notices: string[];
} {
  const query = new URLSearchParams(queryPart(url));
  const last = (key: string): string | undefined => query.getAll(key).at(-1);
  const presetName = last(PRESET_KEY);
  const preset = presetName === undefined ? undefined : PRESETS.find((p) => p.name === presetName);
  if (presetName !== undefined && !preset)
    throw new UsageError(`url: preset ${show(presetName)} is not allowed; ${RUN_OPTIONS.get('preset')}`);
  const chain = last(CHAIN_KEY);
  if (chain !== undefined && !isChainId(chain))
    throw new UsageError(`url: chain ${show(chain)} is not allowed; ${mustBeOneOf('chain', Object.keys(CHAINS))}`);
  const history = last(HISTORY_KEY);
  if (history !== undefined && !isHistoryId(history))
    throw new UsageError(`url: history ${show(history)} is not allowed; ${mustBeOneOf('history', HISTORY_IDS)}`);

  const notices: string[] = [];
  const runB = [...new Set([...query.keys()].filter((key) => key.startsWith(B_PREFIX)))];
  if (runB.length > 0 || query.has(COMPARE_FLAG))
    notices.push(
      `the link compares two runs; this is run A${
        runB.length > 0
          ? ` (for run B, add ${runB
              .slice(0, 8)
              .map((key) => `--${key.slice(B_PREFIX.length, B_PREFIX.length + 40)}`)
              .join(' ')}${runB.length > 8 ? ` and ${runB.length - 8} more` : ''} with B's values)`
          : ''
      }.`,
    );
  const view = PAGE_KEYS.filter(
    (key) => ![PRESET_KEY, CHAIN_KEY, HISTORY_KEY, COMPARE_FLAG].includes(key) && query.has(key),
  );
  if (view.length > 0)
    notices.push(
      `ignored the page's own entries of the link (${view.join(', ')}): they change how the page shows the run, not the run.`,
    );
  for (const key of [...PAGE_KEYS, ...runB]) query.delete(key);
  return {
    query: query.toString(),
    ...(preset ? { preset } : {}),
    ...(chain !== undefined ? { chain: chain as ChainId } : {}),
    ...(history !== undefined ? { history: history as HistoryId } : {}),
    notices,
  };
}

/** The chain file as the engine's grid block, and what the report says about it. */
export async function readChain(file: string, deps: CliDeps): Promise<{ grid: Float64Array; report: ChainReport }> {
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
