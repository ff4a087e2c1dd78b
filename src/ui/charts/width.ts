/**
 * A chart's width before the browser measures it. On the page it is 0 until the plot's element
 * is laid out; a chart rendered without a browser (the SVG snapshot tests, through svelte/server)
 * has no layout, so it reads its width from this context instead.
 */
import { getContext } from 'svelte';

export const FIXED_WIDTH = 'cascade-lab/chart-width';

/** The width a chart starts at: the fixed width of a render without a browser, else 0 (call during component init). */
export function initialWidth(): number {
  return getContext<number | undefined>(FIXED_WIDTH) ?? 0;
}
