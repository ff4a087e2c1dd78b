/**
 * Every key a page link may carry that is not a parameter (nor the version key `v`): the ONE list
 * both readers of links go by. The page (`./location.ts`) takes these keys out before the
 * parameter parser sees the rest, so a key missing here shows up on the page as "Ignored unknown
 * parameter"; `cascade-lab run --url` (src/cli/run.ts) accepts every key listed here, applying
 * those marked `applied` and naming the others in a notice, so a link the page writes always runs
 * in the CLI.
 *
 * A new page key is one row here (and, when the CLI should use it, `cli: 'applied'` and the code
 * in src/cli/run.ts that applies it). No parameter may take a key of this list or start with a
 * prefix of it (test/unit/state/location.test.ts checks).
 */

/** The page's own keys, as the page's code refers to them. */
export const FROZEN_FLAG = 'frozen';
export const COMPARE_FLAG = 'compare';
export const CHAIN_KEY = 'chain';
export const HISTORY_KEY = 'history';
export const B_PREFIX = 'b.';
export const PRESET_KEY = 'preset';
/** The embeddable widget and its flags (read by `./embed.ts`). */
export const EMBED_FLAG = 'embed';
export const CHARTS_KEY = 'charts';
export const CONTROLS_KEY = 'controls';
export const AUTOPLAY_FLAG = 'autoplay';
export const THEME_KEY = 'theme';
/** The cursor scrubbed back to a tick, and the stress map's setup. */
export const CURSOR_KEY = 't';
export const STRESS_KEY = 'stress';

export interface PageKeySpec {
  /** The key as a link writes it; with `prefix`, the start of every key of a family (`b.leverage`). */
  key: string;
  prefix?: true;
  /** What it does on the page, in a few words, for the CLI's notice. */
  what: string;
  /**
   * What `cascade-lab run --url` does with it: `applied` (src/cli/run.ts uses it: the run
   * changes), or `ignored` (a display setting of the page; the CLI says so in a notice).
   */
  cli: 'applied' | 'ignored';
}

// One row a key; add rows, keep them one a line.
// prettier-ignore
export const PAGE_KEYS: readonly PageKeySpec[] = [
  { key: FROZEN_FLAG, what: 'computes each run to its end at once, without animation', cli: 'ignored' },
  { key: COMPARE_FLAG, what: 'shows run B beside run A', cli: 'ignored' },
  { key: B_PREFIX, prefix: true, what: "run B's parameters in the compare mode", cli: 'ignored' },
  { key: CHAIN_KEY, what: 'the real options chain the dealers hold', cli: 'applied' },
  { key: HISTORY_KEY, what: 'the real crash drawn beside the run', cli: 'applied' },
  { key: PRESET_KEY, what: "a preset's parameters, chain and history under the link's", cli: 'applied' },
  { key: EMBED_FLAG, what: 'shows the page as the embeddable widget', cli: 'ignored' },
  { key: CHARTS_KEY, what: "the widget's charts", cli: 'ignored' },
  { key: CONTROLS_KEY, what: "the widget's controls", cli: 'ignored' },
  { key: AUTOPLAY_FLAG, what: 'the widget plays as it loads', cli: 'ignored' },
  { key: THEME_KEY, what: "the widget's colours", cli: 'ignored' },
  { key: CURSOR_KEY, what: 'opens the charts scrubbed back to that tick', cli: 'ignored' },
  { key: STRESS_KEY, what: "the stress map's axes and grid", cli: 'ignored' },
];

/** The row of a link key that is a page key (by name, or by prefix for a family), if it is one. */
export function pageKeyOf(key: string): PageKeySpec | undefined {
  return PAGE_KEYS.find((spec) => (spec.prefix ? key.startsWith(spec.key) : key === spec.key));
}
