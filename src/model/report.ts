/**
 * A run as a file: the bytes `cascade-lab run` prints and the page's CSV and JSON downloads
 * write, from one writer so the two diff cleanly. Deterministic (fixed key order, full-precision numbers via
 * JSON.stringify / String), and never NaN or Infinity: a non-finite number is an engine bug, and
 * printing it would hand scripts a file that JSON parsers reject or silently misread. The gaps
 * allowed are a column's ticks without a value (the gamma flip where none lies within ±30% of
 * spot, `GAPPED_SERIES`) and the historical price path outside its window: null in JSON, an
 * empty cell in CSV.
 */
import type { ChainImport } from './chain-import.ts';
import type { HistoryStats } from './history.ts';
import type { Params } from './schema.ts';
import { GAPPED_SERIES, SERIES_KEYS, type Series, type SeriesKey } from './series.ts';
import type { Summary } from './summary.ts';

/** The options chain the dealers' books were drawn from (`run --chain FILE`). */
export type ChainReport = { file: string } & Pick<
  ChainImport,
  'source' | 'spot' | 'asOf' | 'instruments' | 'rows' | 'dropped' | 'notes'
>;

/** A named chain of the registry (src/model/chains.ts) the dealers' books were drawn from (`chain=` in a link, or a preset's). */
export interface NamedChainReport {
  id: string;
  label: string;
  source: string;
  spot: number;
  asOf: string;
  instruments: number;
}

/** The preset's real price path, aligned so its crash starts at the shock from the run's start price. */
export interface HistoryReport {
  id: string;
  label: string;
  source: string;
  /** The path's alignment point: its time and close, and the tick it sits at (the shock's start). */
  alignment: { time: string; close: number; tick: number };
  /** How far and fast the real crash fell (src/model/history.ts `historyStats`). */
  crash: HistoryStats;
  /** Price at each tick, rescaled to the run's start price; NaN where the path has no data. */
  values: Float64Array;
}

export interface RunReport {
  params: Params;
  /** The preset the parameters were layered on, when one was named. */
  preset?: string;
  chain?: ChainReport | NamedChainReport;
  history?: HistoryReport;
  summary: Summary;
  series: Series;
}

/** Something the program computed is wrong, not something the user typed (the CLI's exit status 1). */
export class InternalError extends Error {}

/** Throws InternalError naming the first non-finite number among `values`. */
export function assertFinite(
  what: string,
  values: Readonly<Record<string, number | string | ArrayLike<number>>>,
  gaps: ReadonlySet<string> = new Set(),
): void {
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value))
        throw new InternalError(`internal error: ${what} ${key} is ${value}; nothing was printed`);
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      if (Number.isFinite(value[i]) || (gaps.has(key) && Number.isNaN(value[i]))) continue;
      throw new InternalError(`internal error: ${what} ${key} is ${value[i]} at tick ${i}; nothing was printed`);
    }
  }
}

export function assertReportFinite(report: RunReport): void {
  assertFinite('parameter', report.params);
  assertFinite('summary', report.summary as unknown as Record<string, number>);
  assertFinite('series', report.series, GAPPED_SERIES);
}

/**
 * `{ params, summary, series }`: params and summary one field a line for reading and diffing,
 * each series one compact array a line so a long run stays a file of a few dozen lines.
 */
export function reportJson(report: RunReport): string {
  const columns = SERIES_KEYS.map(
    (key) =>
      `    ${JSON.stringify(key)}: ${JSON.stringify(Array.from(report.series[key], (v) => (Number.isNaN(v) ? null : v)))}`,
  );
  let history: Omit<HistoryReport, 'values'> | undefined;
  if (report.history) {
    const { values, ...meta } = report.history;
    history = meta;
    columns.push(`    "history": ${JSON.stringify(Array.from(values, (v) => (Number.isNaN(v) ? null : v)))}`);
  }
  const field = (key: string, value: unknown): string[] =>
    value === undefined ? [] : [`  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2))},`];
  return [
    '{',
    `  "params": ${indent(JSON.stringify(report.params, null, 2))},`,
    ...field('preset', report.preset),
    ...field('chain', report.chain),
    ...field('history', history),
    `  "summary": ${indent(JSON.stringify(report.summary, null, 2))},`,
    '  "series": {',
    columns.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** One row a tick: `tick,<series keys>[,history]`, the tick counting from 0 (the start). */
export function reportCsv(report: RunReport): string {
  const history = report.history?.values;
  const rows = [['tick', ...SERIES_KEYS, ...(history ? ['history'] : [])].join(',')];
  const length = report.series.price.length;
  for (let t = 0; t < length; t++) {
    const cells: (number | string)[] = [
      t,
      ...SERIES_KEYS.map((key: SeriesKey) => (Number.isNaN(report.series[key][t]) ? '' : report.series[key][t])),
    ];
    if (history) cells.push(Number.isNaN(history[t]) ? '' : history[t]);
    rows.push(cells.join(','));
  }
  return `${rows.join('\n')}\n`;
}

function indent(json: string): string {
  return json.replaceAll('\n', '\n  ');
}
