/** A chart's legend: what an item is, and the items more than one chart shows. */

export interface LegendItem {
  label: string;
  /** A CSS colour (usually one of app.css's variables). */
  color: string;
  mark: 'line' | 'dashed' | 'bar' | 'area';
  /** The item's value at the cursor, already formatted. */
  value?: string;
}

/** Run B's line in compare mode (none outside it: solid, in its own colour), with its value at the cursor if the chart shows one. */
export function runBLegend(shown: boolean, label = 'Run B', value?: string): LegendItem[] {
  return shown ? [{ label, color: 'var(--c-b)', mark: 'line', value }] : [];
}

/** One line of a chart over time: its column, its stroke, and how the legend names it. */
export interface SeriesLine {
  /** The class of its path (browser tests find lines by it). */
  cls: string;
  label: string;
  column: Float64Array;
  /** A CSS colour, a width in pixels, and dashes (drawn dashed in the legend too), an opacity and round ends if any. */
  color: string;
  width: number;
  dash?: string;
  opacity?: number;
  cap?: 'round';
}

/** The legend of lines listed faintest first (the drawing order): the boldest first, each with its value. */
export function linesLegend(
  lines: readonly SeriesLine[],
  value: (line: SeriesLine) => string | undefined,
): LegendItem[] {
  return lines
    .slice()
    .reverse()
    .map((line) => ({ label: line.label, color: line.color, mark: line.dash ? 'dashed' : 'line', value: value(line) }));
}
