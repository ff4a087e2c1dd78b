/**
 * What a downloaded chart says about the run it shows: the page provides it through context
 * (the scenario, the parameters, the source and the link that replays the run, read at the
 * moment of the download), every figure's SVG and PNG export writes it under the plot.
 */
import { getContext, setContext } from 'svelte';

const KEY = 'cascade-lab/figure-caption';

/** The caption lines of a download, newest state: scenario, parameters, source, link. */
export type CaptionLines = () => string[];

export function provideCaption(lines: CaptionLines): void {
  setContext(KEY, lines);
}

/** The page's caption lines, or none (a chart rendered without the page). */
export function captionLines(): CaptionLines {
  return getContext<CaptionLines | undefined>(KEY) ?? (() => []);
}
