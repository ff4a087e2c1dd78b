/** A chart's legend: what an item is, and the items more than one chart shows. */

export interface LegendItem {
  label: string;
  /** A CSS colour (usually one of app.css's variables). */
  color: string;
  mark: 'line' | 'dashed' | 'bar' | 'area';
  /** The item's value at the cursor, already formatted. */
  value?: string;
}

/** Run B's line in compare mode (none outside it), with its value at the cursor if the chart shows one. */
export function runBLegend(shown: boolean, label = 'Run B', value?: string): LegendItem[] {
  return shown ? [{ label, color: 'var(--c-b)', mark: 'dashed', value }] : [];
}
