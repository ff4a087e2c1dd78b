/**
 * The charts' shared pointer: the tick under the pointer in any chart over time (every such
 * chart draws its crosshair there, so one hover reads across all of them) and the page's scrub
 * (a drag on any chart over time moves the timeline). The page provides one through context;
 * a chart rendered without it (the SVG snapshot tests) is simply not interactive.
 */
import { getContext, setContext } from 'svelte';

const KEY = 'cascade-lab/chart-pointer';

export class ChartPointer {
  /** The tick under the pointer in a chart over time; undefined when the pointer is on none. */
  hover = $state<number>();
  /**
   * Move the page's cursor to `tick` (at or past the newest tick: follow the run live). Called
   * while dragging across a chart and by the arrow keys on a focused chart.
   */
  readonly scrub: (tick: number) => void;

  constructor(scrub: (tick: number) => void) {
    this.scrub = scrub;
  }
}

/** Give the charts below this component a shared pointer (call during component init). */
export function provideChartPointer(pointer: ChartPointer): void {
  setContext(KEY, pointer);
}

/** The shared pointer, if the page provides one (call during component init). */
export function chartPointer(): ChartPointer | undefined {
  return getContext<ChartPointer | undefined>(KEY);
}
