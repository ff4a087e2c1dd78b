/**
 * Hand-made runs for tests of what reads a run's columns (summary, charts, exports): every
 * column zero but the ones given, so a test states only the columns it is about.
 */
import { mapSeries, type Series, type SeriesKey } from '../../src/model/series.ts';

/** A run of `ticks` ticks (`ticks + 1` entries a column): the given columns, every other one zero. */
export function seriesOf(ticks: number, columns: Partial<Record<SeriesKey, readonly number[]>> = {}): Series {
  return mapSeries((key) => {
    const column = new Float64Array(ticks + 1);
    const given = columns[key];
    if (given) column.set(given.slice(0, ticks + 1));
    return column;
  });
}
