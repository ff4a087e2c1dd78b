/**
 * `cascade-lab run`: one simulation, printed as JSON or CSV. Parameters are layered
 * defaults < preset < --url < explicit flags, so a shared link can be replayed with one knob
 * changed, whatever order the flags come in. `--chain FILE` replaces the stylized option grid
 * with a real chain; a preset that names a price history gets it printed beside the run.
 */
import { CHAINS, chainGrid, type ChainId } from '../model/chains.ts';
import { ChainError, MAX_CHAIN_BYTES, chainTooLarge, parseChain } from '../model/chain-import.ts';
import { readSeries, type EngineKind } from '../model/engine.ts';
import { toGridBlock } from '../model/option-grid.ts';
import { PRESETS, type Preset } from '../model/presets.ts';
import { SCHEMA, defaultParams, toEngineBlock, type Params } from '../model/schema.ts';
import { summarize } from '../model/summary.ts';
import { isParamKey, parseStrict, visibleInput } from '../model/validate.ts';
import { B_PREFIX, COMPARE_FLAG, pageKeyOf, readLinkStrict, type CliLink } from '../state/location.ts';
import { MAX_NOTICES } from '../state/url.ts';
import { UsageError, lastValue, mustBe, mustBeOneOf, parseFlags, pickOption, show, type FlagTable } from './args.ts';
import {
  InternalError,
  assertReportFinite,
  historyReport,
  reportCsv,
  reportJson,
  type ChainReport,
  type NamedChainReport,
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
  const { params, preset, link } = resolveParams(flags);
  const chainFile = lastValue(flags, 'chain');
  // A chain file given as a flag < a chain the link names < the preset's: flags over links over presets.
  const chain = chainFile === undefined ? namedChain(link?.chain ?? preset?.chain) : await readChain(chainFile, deps);
  const historyId = link?.history ?? preset?.history;

  const report: RunReport = {
    params,
    preset: link?.preset ?? preset?.name,
    chain: chain?.report,
    history: historyId === undefined ? undefined : historyReport(historyId, params),
    ...(await simulate(params, engineKind, deps, chain?.grid)),
  };
  assertReportFinite(report);
  const text = format === 'json' ? reportJson(report) : reportCsv(report);
  for (const note of capped(link ? linkNotes(link) : [])) deps.stderr(`cascade-lab: note: ${note}\n`);

  await output(flags, deps, text, `${params.ticks} ticks`);
}

/** defaults < preset < --url < explicit parameter flags. */
export function resolveParams(flags: readonly [string, string][]): { params: Params; preset?: Preset; link?: CliLink } {
  let params = defaultParams();
  const presetName = lastValue(flags, 'preset');
  let preset: Preset | undefined;
  if (presetName !== undefined) {
    preset = PRESETS.find((p) => p.name === presetName);
    if (!preset) throw new UsageError(`preset: ${show(presetName)} is not allowed; ${RUN_OPTIONS.get('preset')}`);
    params = parseStrict(Object.entries(preset.params) as [string, number | string][], params);
  }
  const url = lastValue(flags, 'url');
  const link = url === undefined ? undefined : readLinkStrict(url, params);
  return {
    params: parseStrict(
      flags.filter(([key]) => isParamKey(key)),
      link?.params ?? params,
    ),
    preset,
    link,
  };
}

/** Display settings named one by one in the note (every page key the CLI ignores fits). */
const MAX_SETTINGS_SHOWN = 8;

/**
 * What the reader of a page link should know: the page keys the CLI does not use (display
 * settings, run B of a compare link, given as the flags that would run it) and repeated keys.
 */
function linkNotes(link: CliLink): string[] {
  const notes = [...link.notices];
  const settings = link.ignored.filter(([key]) => key !== COMPARE_FLAG && !key.startsWith(B_PREFIX));
  const shown = settings
    .slice(0, MAX_SETTINGS_SHOWN)
    .map(([key, value]) => `${visibleInput(key)}=${visibleInput(value, 20)} (${pageKeyOf(key)!.what})`);
  if (settings.length > MAX_SETTINGS_SHOWN) shown.push(`${settings.length - MAX_SETTINGS_SHOWN} more`);
  if (shown.length > 0)
    notes.push(
      `ignored the page's display settings in the link: ${shown.join('; ')}; they change how the page shows a run, not the run`,
    );
  if (link.ignored.length > settings.length) {
    const flagsB = Object.entries(link.overridesB).map(([key, value]) => `--${key} ${value}`);
    notes.push(
      flagsB.length > 0
        ? `the link compares two runs; this is run A. Run B is run A with ${flagsB.join(' ')}`
        : 'the link compares run A with a copy of itself; this is run A',
    );
  }
  return notes;
}

function capped(notes: string[]): string[] {
  if (notes.length <= MAX_NOTICES + 1) return notes;
  return [...notes.slice(0, MAX_NOTICES), `… and ${notes.length - MAX_NOTICES} more notes, not listed one by one`];
}

/** A chain of the registry, by id, as the engine's grid block and what the report says about it. */
function namedChain(id: ChainId | undefined): { grid: Float64Array; report: NamedChainReport } | undefined {
  if (id === undefined) return undefined;
  const { label, source, spot, asOf, grid } = CHAINS[id];
  return { grid: chainGrid(id), report: { id, label, source, spot, asOf, instruments: grid.length } };
}

/** The chain file as the engine's grid block, and what the report says about it. */
export async function readChain(file: string, deps: CliDeps): Promise<{ grid: Float64Array; report: ChainReport }> {
  let text: string;
  let bytes: number;
  try {
    bytes = await deps.fileSize(file);
    // Refused before it is read: a file far larger than any chain would only fill the memory.
    if (bytes <= MAX_CHAIN_BYTES) text = await deps.readFile(file);
  } catch (error) {
    throw new UsageError(`chain: cannot read ${show(file)}: ${(error as Error).message}`);
  }
  if (bytes > MAX_CHAIN_BYTES) throw new UsageError(`chain: ${chainTooLarge(file, bytes)}`);
  try {
    const { grid, source, spot, asOf, instruments, rows, dropped, notes } = parseChain(text!, file);
    return { grid: toGridBlock(grid), report: { file, source, spot, asOf, instruments, rows, dropped, notes } };
  } catch (error) {
    if (error instanceof ChainError) throw new UsageError(`chain: ${error.message}`);
    throw error;
  }
}

/** Print `text`, or write it to --out and say so on stderr. */
export async function output(
  flags: readonly [string, string][],
  deps: CliDeps,
  text: string,
  what: string,
): Promise<void> {
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
  deps.stderr(`cascade-lab: wrote ${what} to ${out}\n`);
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
