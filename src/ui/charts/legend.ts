/** Legend items more than one chart shows. */
import type { LegendItem } from './ChartFigure.svelte';

/** Run B's line in compare mode (none outside it), with its value at the cursor if the chart shows one. */
export function runBLegend(shown: boolean, label = 'Run B', value?: string): LegendItem[] {
  return shown ? [{ label, color: 'var(--c-b)', mark: 'dashed', value }] : [];
}
