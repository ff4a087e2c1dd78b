/**
 * The bytes `cascade-lab run` prints. Deterministic (fixed key order, full-precision numbers via
 * JSON.stringify / String), and never NaN or Infinity: a non-finite number is an engine bug, and
 * printing it would hand scripts a file that JSON parsers reject or silently misread.
 */
import type { Params } from '../model/schema.ts';
import { SERIES_KEYS, type Series } from '../model/series.ts';
import type { Summary } from '../model/summary.ts';

export interface RunReport {
  params: Params;
  summary: Summary;
  series: Series;
}

/** Something the CLI computed is wrong, not something the user typed: exit status 1. */
export class InternalError extends Error {}

/** Throws InternalError naming the first non-finite number among `values`. */
export function assertFinite(what: string, values: Readonly<Record<string, number | string | ArrayLike<number>>>): void {
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InternalError(`internal error: ${what} ${key} is ${value}; nothing was printed`);
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      if (!Number.isFinite(value[i])) throw new InternalError(`internal error: ${what} ${key} is ${value[i]} at tick ${i}; nothing was printed`);
    }
  }
}

export function assertReportFinite(report: RunReport): void {
  assertFinite('parameter', report.params);
  assertFinite('summary', report.summary as unknown as Record<string, number>);
  assertFinite('series', report.series);
}

/**
 * `{ params, summary, series }`: params and summary one field a line for reading and diffing,
 * each series one compact array a line so a long run stays a file of a few dozen lines.
 */
export function reportJson(report: RunReport): string {
  const columns = SERIES_KEYS.map((key) => `    ${JSON.stringify(key)}: ${JSON.stringify(Array.from(report.series[key]))}`);
  return [
    '{',
    `  "params": ${indent(JSON.stringify(report.params, null, 2))},`,
    `  "summary": ${indent(JSON.stringify(report.summary, null, 2))},`,
    '  "series": {',
    columns.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** One row a tick: `tick,<series keys>`, the tick counting from 0 (the start). */
export function reportCsv(report: RunReport): string {
  const rows = [['tick', ...SERIES_KEYS].join(',')];
  const length = report.series.price.length;
  for (let t = 0; t < length; t++) rows.push([t, ...SERIES_KEYS.map((key) => report.series[key][t])].join(','));
  return `${rows.join('\n')}\n`;
}

function indent(json: string): string {
  return json.replaceAll('\n', '\n  ');
}
