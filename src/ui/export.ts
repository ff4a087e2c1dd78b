/**
 * The run as files: the series as CSV and `{ params, link, preset, chain, history, summary,
 * series }` as JSON, the formats of `cascade-lab run --format csv|json` (one writer,
 * src/model/report.ts, serves both, so a file from the page and one from the command line diff
 * cleanly). Only the ticks simulated so far are written. Each file carries what it takes to
 * replay the run: the link, the parameters, and the options chain — a named one by its id, a
 * file the reader loaded as a CSV that `cascade-lab run --chain` reads back to the same grid.
 */
import { chainCsv, historyReport, reportCsv, reportJson, type ChainReport, type RunReport } from '../model/report.ts';
import { CHAINS } from '../model/chains.ts';
import type { Params } from '../model/schema.ts';
import { mapSeries, type Series } from '../model/series.ts';
import type { Summary } from '../model/summary.ts';
import type { BookSource } from './real-data.ts';

export interface ExportableRun {
  params: Params;
  summary: Summary;
  /** Columns of `ticks + 1` entries; ticks after `tick` are not written. */
  columns: Readonly<Series>;
  tick: number;
  /** The link that replays the run. */
  link?: string;
  /** The preset the run started from. */
  preset?: string;
  /** The dealers' options book, when it is not the stylized grid. */
  book?: BookSource;
  /** The real price path drawn beside the run. */
  history?: string;
}

/** The options book as a report records it: a registry chain by its id, a loaded file with its series. */
export function chainReport(book: BookSource): ChainReport {
  if (book.kind === 'chain') return { id: book.id, label: CHAINS[book.id].label };
  const { chain } = book;
  return {
    file: book.name,
    source: chain.source,
    spot: chain.spot,
    asOf: chain.asOf,
    instruments: chain.instruments,
    rows: chain.rows,
    dropped: chain.dropped,
    notes: chain.notes,
    csv: chainCsv(chain.grid),
  };
}

function report(run: ExportableRun): RunReport {
  const upTo = run.tick + 1;
  const history = run.history ? historyReport(run.history, run.params) : undefined;
  return {
    params: run.params,
    ...(run.link ? { link: run.link } : {}),
    ...(run.preset ? { preset: run.preset } : {}),
    ...(run.book ? { chain: chainReport(run.book) } : {}),
    ...(history ? { history: { ...history, values: history.values.slice(0, upTo) } } : {}),
    summary: run.summary,
    series: mapSeries((key) => run.columns[key].slice(0, upTo)),
  };
}

export function runCsv(run: ExportableRun): string {
  return reportCsv(report(run));
}

export function runJson(run: ExportableRun): string {
  return reportJson(report(run));
}

/** A file name that says what the file holds: `cascade-lab-seed7-t720.csv`. */
export function exportName(params: Params, tick: number, extension: string, what = 'run'): string {
  return `cascade-lab-${what}-seed${params.seed}-t${tick}.${extension}`;
}
