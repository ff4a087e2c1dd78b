/**
 * What the commands that run many runs share (`ensemble`, `attribute`, `sweep`, `worker`): the
 * run flags they take from `run`, the flags of their own read like parameters (so an error
 * names the flag and its range the same way), the summary as CSV rows, the output file, and a
 * progress bar on stderr when it is a terminal.
 */
import { presetGrid } from '../model/chains.ts';
import type { EngineKind } from '../model/engine.ts';
import { SCHEMA, type NumberParam, type ParamSpec, type Params } from '../model/schema.ts';
import type { Summary } from '../model/summary.ts';
import { describeProblem, parseValue } from '../model/validate.ts';
import { UsageError, lastValue, mustBe, pickOption, show, type FlagTable } from './args.ts';
import type { CliDeps } from './deps.ts';
import { ENGINES, RUN_OPTIONS, output, readChain, resolveParams } from './run.ts';

export { output };

/** The flags of `run` that say which run: parameters, --preset, --url, --chain, --engine. */
export function runFlags(): [string, string][] {
  return [
    ...[...RUN_OPTIONS].filter(([name]) => ['preset', 'url', 'chain', 'engine'].includes(name)),
    ...SCHEMA.map((spec): [string, string] => [spec.key, mustBe(spec)]),
  ];
}

/** A flag of a batch command that takes a number, checked like a parameter. */
export function numberFlag(key: string, label: string, type: 'int' | 'float', min: number, max: number): NumberParam {
  return { key, label, type, min, max, default: min, step: type === 'int' ? 1 : 0.001, help: label, group: 'Run' };
}

export const WORKERS_FLAG = numberFlag('workers', 'Worker threads', 'int', 1, 256);

/** The flag's value checked against its spec (`fallback` when absent): one clear line when bad. */
export function readNumber(flags: readonly [string, string][], spec: NumberParam, fallback: number): number {
  const raw = lastValue(flags, spec.key);
  if (raw === undefined) return fallback;
  return parseAs(spec, raw);
}

function parseAs(spec: ParamSpec, raw: string, shownAs = spec.key): number {
  const result = parseValue(spec, raw);
  if (!result.ok) throw new UsageError(describeProblem({ ...spec, key: shownAs }, raw));
  return result.value as number;
}

export interface ResolvedRun {
  params: Params;
  grid?: Float64Array;
  engine: EngineKind;
  preset?: string;
}

/** The run the flags describe, as `run` resolves it (defaults < --preset < --url < flags). */
export async function resolveRun(flags: readonly [string, string][], deps: CliDeps): Promise<ResolvedRun> {
  const engine = pickOption(flags, 'engine', ENGINES, 'wasm');
  const { params, preset, link } = resolveParams(flags);
  const chainFile = lastValue(flags, 'chain');
  const chain = chainFile === undefined ? undefined : await readChain(chainFile, deps);
  // As `run`: a chain file < the chain a --url link names (its preset's included) < the preset's.
  const named = link?.chain ?? preset?.chain;
  return { params, grid: chain?.grid ?? presetGrid({ chain: named }), engine, preset: link?.preset ?? preset?.name };
}

const SEED = SCHEMA.find((spec) => spec.key === 'seed') as NumberParam;

/** `--seeds A-B`: the seeds A to B, both included, at most `most` of them. */
export function readSeeds(flags: readonly [string, string][], most: number): { from: number; to: number } {
  const raw = lastValue(flags, 'seeds');
  const expects = seedsExpect(most);
  if (raw === undefined) throw new UsageError(`seeds: a value is missing; ${expects}`);
  const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(raw);
  if (!match) throw new UsageError(`seeds: ${show(raw)} is not allowed; ${expects}`);
  const from = parseAs(SEED, match[1], 'seeds');
  const to = parseAs(SEED, match[2], 'seeds');
  if (from > to || to - from + 1 > most) throw new UsageError(`seeds: ${show(raw)} is not allowed; ${expects}`);
  return { from, to };
}

export function seedsExpect(most: number): string {
  return `seeds must be A-B: seeds A ≤ B, integers in [0, ${SEED.max}], at most ${most.toLocaleString('en-US')} of them`;
}

/** `--workers N` (default: one per core), within what the job needs. */
export function readWorkers(flags: readonly [string, string][], deps: CliDeps, jobs: number): number {
  return Math.max(1, Math.min(readNumber(flags, WORKERS_FLAG, deps.cores), jobs));
}

/** The summary's fields, in its order: the columns of every CSV of summaries. */
export function summaryFields(summary: Summary): (keyof Summary)[] {
  return Object.keys(summary) as (keyof Summary)[];
}

/** One CSV row of numbers, written as `String` writes them (the digits JSON prints too). */
export function csvRow(values: readonly (number | string)[]): string {
  return values.map(String).join(',');
}

/** A progress bar on stderr, redrawn at most every 100 ms; nothing when stderr is not a terminal. */
export function progress(deps: CliDeps, total: number, unit: string): { tick(done: number): void; end(): void } {
  if (!deps.stderrTTY) return { tick: () => undefined, end: () => undefined };
  const started = Date.now();
  let drawn = 0;
  const draw = (done: number) => {
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    const seconds = (Date.now() - started) / 1000;
    deps.stderr(
      `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${unit} ${seconds.toFixed(1)} s`,
    );
  };
  return {
    tick(done) {
      if (Date.now() - drawn < 100 && done < total) return;
      drawn = Date.now();
      draw(done);
    },
    end() {
      deps.stderr('\n');
    },
  };
}

/** The flag table of a batch command: the run flags and its own. */
export function flagTable(own: [string, string][]): FlagTable {
  return new Map([...runFlags(), ...own]);
}

export const QUEUE_EXPECTS = 'queue must be a Redis address: redis://HOST:PORT (or redis://[:PASSWORD@]HOST:PORT/DB)';

/** `--queue`'s value, checked. */
export function readQueueUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`queue: ${show(raw)} is not allowed; ${QUEUE_EXPECTS}`);
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '')
    throw new UsageError(`queue: ${show(raw)} is not allowed; ${QUEUE_EXPECTS}`);
  return raw;
}
