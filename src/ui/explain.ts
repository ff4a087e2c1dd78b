/**
 * Why the multiplier changed: the headline compares each finished run with the previous one and
 * names the parameters that moved, in the reader's words ("up from 1.40× because leverage rose
 * from 10× to 20×"). Pure functions of two runs' parameters and summaries.
 */
import { SCHEMA, type ParamKey, type ParamSpec, type Params } from '../model/schema.ts';
import type { Summary } from '../model/summary.ts';
import { formatMultiplier, formatUsd } from './format.ts';

export interface RunRecord {
  params: Params;
  summary: Summary;
  /** What the dealers' options book was, when it was not the stylized grid (it changes the run too). */
  book?: string;
}

export interface ParamChange {
  key: ParamKey | 'book';
  /** "leverage rose from 10× to 20×" */
  phrase: string;
}

/** Relative change of the multiplier below which it reads as "about the same". */
const SAME_MULTIPLIER = 0.01;
/** Changes named one by one; the rest are counted. */
const NAMED_CHANGES = 3;

/** Whether two multipliers read as "about the same": within SAME_MULTIPLIER of the first, relatively. */
export function aboutTheSame(first: number, second: number): boolean {
  return Math.abs(second - first) / Math.max(first, 1e-9) < SAME_MULTIPLIER;
}

/** A parameter value as the reader knows it: "20×", "$5B", "0.5 /tick", "sqrt". */
export function formatParam(spec: ParamSpec, value: number | string): string {
  if (typeof value === 'string') return value;
  if (spec.unit === 'USD') return formatUsd(value);
  // A real minus sign: "−0.5" reads better than a hyphen.
  const shown = String(Number(value.toPrecision(6))).replace('-', '−');
  if (!spec.unit) return shown;
  return spec.unit === '×' ? `${shown}×` : `${shown} ${spec.unit}`;
}

/** A label inside a sentence: "Leverage" → "leverage", but "GEX …" stays. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

/** Every parameter that differs between two runs, in schema order, the seed last. */
export function paramChanges(before: Params, after: Params): ParamChange[] {
  const changes: ParamChange[] = [];
  for (const row of SCHEMA) {
    const spec = row as ParamSpec;
    const key = spec.key as ParamKey;
    const from = before[key];
    const to = after[key];
    if (from === to) continue;
    const verb = typeof from === 'number' && typeof to === 'number' ? (to > from ? 'rose' : 'fell') : 'changed';
    const phrase =
      key === 'seed'
        ? `the seed changed from ${from} to ${to} (different random noise)`
        : `${inSentence(spec.label)} ${verb} from ${formatParam(spec, from)} to ${formatParam(spec, to)}`;
    changes.push({ key, phrase });
  }
  return changes.sort((a, b) => Number(a.key === 'seed') - Number(b.key === 'seed'));
}

/** "a", "a and b", "a, b and c", "a, b, c and 2 other changes". */
function listPhrases(changes: readonly ParamChange[]): string {
  const named = changes.slice(0, NAMED_CHANGES).map((c) => c.phrase);
  const rest = changes.length - named.length;
  if (rest > 0) named.push(`${rest} other change${rest === 1 ? '' : 's'}`);
  return named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/**
 * One sentence on how the multiplier moved from `previous` to `current` and which parameters
 * changed; undefined when the parameters are the same (a replay says nothing new).
 */
export function explainChange(previous: RunRecord, current: RunRecord): string | undefined {
  const changes = paramChanges(previous.params, current.params);
  if (previous.book !== current.book) {
    const phrase = `the dealers’ options book changed from ${previous.book ?? 'the stylized grid'} to ${current.book ?? 'the stylized grid'}`;
    changes.unshift({ key: 'book', phrase });
  }
  if (changes.length === 0) return undefined;
  const before = previous.summary.feedbackMultiplier;
  const after = current.summary.feedbackMultiplier;
  const why = listPhrases(changes);
  if (aboutTheSame(before, after))
    return `About the same as the previous run (${formatMultiplier(before)}), although ${why}.`;
  return `${after > before ? 'Up' : 'Down'} from ${formatMultiplier(before)} in the previous run, because ${why}.`;
}
