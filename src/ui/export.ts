/**
 * The run as files: the series as CSV and `{ params, summary, series }` as JSON, byte for byte
 * the formats of `cascade-lab run --format csv|json` (one writer, src/model/report.ts, serves
 * both, so a file from the page and one from the command line diff cleanly). Only the ticks simulated so far
 * are written.
 */
import { reportCsv, reportJson, type RunReport } from '../model/report.ts';
import type { Params } from '../model/schema.ts';
import { mapSeries, type Series } from '../model/series.ts';
import type { Summary } from '../model/summary.ts';

export interface ExportableRun {
  params: Params;
  summary: Summary;
  /** Columns of `ticks + 1` entries; ticks after `tick` are not written. */
  columns: Readonly<Series>;
  tick: number;
}

function report(run: ExportableRun): RunReport {
  return {
    params: run.params,
    summary: run.summary,
    series: mapSeries((key) => run.columns[key].slice(0, run.tick + 1)),
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
