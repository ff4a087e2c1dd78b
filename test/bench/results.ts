/** What both benchmarks (engine.bench.ts, browser.bench.ts) report and how they read their flags. */

/** One target, measured. */
export interface Result {
  target: string;
  /** The goal, as text. */
  goal: string;
  value: number;
  unit: string;
  /** What stands beside the value. */
  baseline: string;
  /** true met, false missed, null not measured here. */
  met: boolean | null;
  note?: string;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The sections named by `--only=a,b` on the command line, or undefined for all of them. */
export function onlySections(argv: readonly string[]): string[] | undefined {
  return argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
}
