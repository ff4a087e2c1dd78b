/**
 * A run as a file: the bytes `cascade-lab run` prints and the page's CSV and JSON downloads
 * write, from one writer so the two diff cleanly. Each file carries what it takes to replay the
 * run: its parameters, the preset and the options chain it ran on (a loaded chain file as a CSV
 * that `--chain` reads back to the same grid, `chainCsv`), and, from the page, the link. Deterministic (fixed key order, full-precision numbers via
 * JSON.stringify / String), and never NaN or Infinity: a non-finite number is an engine bug, and
 * printing it would hand scripts a file that JSON parsers reject or silently misread. The gaps
 * allowed are a column's ticks without a value (the gamma flip where none lies within ±30% of
 * spot, `GAPPED_SERIES`) and the historical price path outside its window: null in JSON, an
 * empty cell in CSV.
 */
import type { ChainImport } from './chain-import.ts';
import { alignHistory, historyPath, historyStats, type HistoryStats } from './history.ts';
import type { OptionSeriesSpec } from './option-grid.ts';
import type { Params } from './schema.ts';
import { GAPPED_SERIES, SERIES, SERIES_KEYS, type Series, type SeriesKey } from './series.ts';
import type { Summary } from './summary.ts';

/**
 * The options chain the dealers' books were drawn from: a file (`run --chain FILE`, or one
 * loaded on the page, which writes its series as `csv` — `--chain` reads it back to the same
 * grid, so the file replays the run) or a chain of the registry by its `id`.
 */
export type ChainReport =
  | ({ file: string; csv?: string } & Pick<
      ChainImport,
      'source' | 'spot' | 'asOf' | 'instruments' | 'rows' | 'dropped' | 'notes'
    >)
  | { id: string; label: string };

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
  /** The page link that replays the run (page downloads only). */
  link?: string;
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
    ...field('link', report.link),
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

/** A column's header: its key and its unit, `price (USD)` (a unitless share or flag: the key alone). */
function columnHeader(key: SeriesKey): string {
  const unit = SERIES.find((s) => s.key === key)!.unit;
  return unit ? `${key} (${unit})` : key;
}

/** The `# ` lines above a CSV's header: what the file is, the parameters (one JSON line), the preset, the chain, the link. */
function csvPreamble(report: RunReport): string[] {
  const lines = [
    `# Cascade Lab run: one row a tick (one tick is one minute of trading; tick 0 is the start), ${report.series.price.length - 1} ticks. Units in each column's header.`,
    `# params: ${JSON.stringify(report.params)}`,
  ];
  if (report.preset) lines.push(`# preset: ${report.preset}`);
  if (report.chain)
    lines.push(
      'id' in report.chain
        ? `# chain: ${report.chain.id} (${report.chain.label})`
        : `# chain: ${report.chain.file}, ${report.chain.instruments} instruments${report.chain.csv ? ' (the JSON download carries it)' : ''}`,
    );
  if (report.history)
    lines.push(
      `# history: ${report.history.id} (${report.history.source}), aligned at tick ${report.history.alignment.tick}`,
    );
  if (report.link) lines.push(`# link: ${report.link}`);
  return lines;
}

/**
 * A `# ` preamble (what the run is, its parameters as one JSON line, the preset, the chain and
 * the link: a reader's `comment='#'` skips it), then one row a tick: `tick,<series (unit)>[,history (USD)]`,
 * the tick counting from 0 (the start).
 */
export function reportCsv(report: RunReport): string {
  const history = report.history?.values;
  const rows = [
    ...csvPreamble(report),
    ['tick', ...SERIES_KEYS.map(columnHeader), ...(history ? ['history (USD)'] : [])].join(','),
  ];
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

/**
 * An option grid as a chain CSV that `parseChain` (and so `run --chain FILE`) reads back to the
 * same grid, number for number: strikes as multiples of a spot of 1 (the moneyness itself),
 * expiries as days, open interest as the weight. How the page's downloads carry a chain file the
 * reader loaded, which no link can.
 */
export function chainCsv(grid: readonly OptionSeriesSpec[]): string {
  const rows = grid.map((s) => `${s.isCall ? 'call' : 'put'},${s.moneyness},${s.tenorDays},${s.weight},1`);
  return `${['type,strike,expiry,open_interest,spot', ...rows].join('\n')}\n`;
}

/** The preset's real price path at every tick of a run (its crash starting at the shock), as the reports print it. */
export function historyReport(id: string, params: Params): HistoryReport {
  const path = historyPath(id);
  return {
    id,
    label: path.label,
    source: path.source,
    alignment: { time: path.alignment.time, close: path.alignment.close, tick: params.shockStart },
    crash: historyStats(id),
    values: alignHistory(id, params),
  };
}
