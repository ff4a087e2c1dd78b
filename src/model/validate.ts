/**
 * Validation of untrusted parameter input (URL query, CLI flags, preset files, UI fields),
 * driven only by the schema. Two policies share one parser:
 * - strict (the CLI): the first bad value is an error naming the parameter and its range;
 * - lenient (links): bad values fall back or are clamped, each with a notice, and the run goes on.
 */
import {
  SCHEMA,
  defaultParams,
  describeRange,
  paramSpec,
  type ParamKey,
  type ParamSpec,
  type Params,
} from './schema.ts';

export type ParseResult =
  | { ok: true; value: number | string }
  | {
      ok: false;
      reason: 'not-a-number' | 'not-an-option' | 'out-of-range' | 'not-an-integer' | 'padded';
      /** The nearest allowed value, for a number out of range or off the integer grid. */
      clamped?: number;
      /** For `padded`: the value without the spaces or invisible characters around it, itself valid. */
      trimmed?: number | string;
    };

/**
 * A decimal number as people write one: `25`, `-0.5`, `.5`, `5.`, `+3`, `2e10`, `1E-4`. Not hex,
 * octal or binary (`Number` reads `0x10` as 16), not `Infinity`, no spaces. Written so that a
 * long run of digits is matched in linear time (no two quantifiers compete for the same digits).
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Longer than any number worth typing: refused before the pattern looks at it. */
const MAX_NUMBER_CHARS = 100;

/** Whitespace and the invisible characters a copy and paste brings along (BOM, zero-width space). */
const PADDING = /^[\s\uFEFF\u200B]+|[\s\uFEFF\u200B]+$/g;

/** The number `text` writes in decimal, or undefined when it is not a plain decimal number. */
export function parseDecimal(text: string): number | undefined {
  if (text.length > MAX_NUMBER_CHARS || !DECIMAL.test(text)) return undefined;
  const x = Number(text);
  // `+ 0` turns −0 into 0: a link and the CLI's output cannot tell them apart anyway.
  return Number.isFinite(x) ? x + 0 : undefined;
}

/**
 * Parse one raw value against its spec without any side effect. Text must be exactly a decimal
 * number (or exactly an option): a value padded with spaces is refused as `padded`, with the
 * value it would be once trimmed, so a lenient reader can take it with a notice.
 */
export function parseValue(spec: ParamSpec, raw: string | number | boolean): ParseResult {
  if (typeof raw === 'boolean') return { ok: false, reason: spec.type === 'enum' ? 'not-an-option' : 'not-a-number' };
  if (typeof raw === 'string') {
    const trimmed = raw.replace(PADDING, '');
    if (trimmed !== raw && trimmed !== '') {
      const inner = parseValue(spec, trimmed);
      return inner.ok ? { ok: false, reason: 'padded', trimmed: inner.value } : inner;
    }
  }
  if (spec.type === 'enum') {
    return (spec.options as readonly string[]).includes(String(raw))
      ? { ok: true, value: String(raw) }
      : { ok: false, reason: 'not-an-option' };
  }
  const x = typeof raw === 'number' ? (Number.isFinite(raw) ? raw + 0 : undefined) : parseDecimal(raw);
  if (x === undefined) return { ok: false, reason: 'not-a-number' };
  const clamped = clampToSpec(spec, x);
  const belowOpenMin = spec.minExclusive === true && x <= spec.min;
  if (x < spec.min || x > spec.max || belowOpenMin) return { ok: false, reason: 'out-of-range', clamped };
  if (spec.type === 'int' && !Number.isInteger(x)) return { ok: false, reason: 'not-an-integer', clamped };
  return { ok: true, value: x };
}

/** Nearest allowed value: inside the range, on the integer grid for ints, off an open lower bound. */
export function clampToSpec(spec: ParamSpec & { type: 'int' | 'float' }, x: number): number {
  let v = Math.min(spec.max, Math.max(spec.min, x));
  if (spec.type === 'int') v = Math.round(v);
  if (spec.minExclusive === true && v <= spec.min) v = spec.min + spec.step;
  return v;
}

/**
 * The one-line message for a rejected value: names the parameter, what was given (cut short, with
 * invisible characters shown as escapes), the range, and why when the value only looks right: a
 * number in hex or another base, or a number with spaces around it.
 */
export function describeProblem(spec: ParamSpec, raw: unknown): string {
  const text = String(raw);
  const result = typeof raw === 'string' || typeof raw === 'number' ? parseValue(spec, raw) : undefined;
  let why = '';
  if (result?.ok === false && result.reason === 'padded') why = ', with no spaces or invisible characters around it';
  else if (
    spec.type !== 'enum' &&
    typeof raw === 'string' &&
    result?.ok === false &&
    result.reason === 'not-a-number'
  ) {
    const loose = Number(text.replace(PADDING, ''));
    if (text.trim() !== '' && Number.isFinite(loose)) why = ', written in decimal (like 25, -0.5 or 2e10)';
  }
  return `${spec.key}: ${quoteInput(text)} is not allowed; ${spec.key} (${spec.label}) must be ${describeRange(spec)}${why}`;
}

/** Characters that would hide or reorder what a message shows: controls, bidi overrides, line separators, lone surrogates. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/gu;

const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Untrusted text as a message may show it: at most `max` characters (whole code points, an
 * ellipsis when cut), every invisible or reordering character written as an escape (`\u202e`).
 */
export function visibleInput(text: string, max = 40): string {
  return shorten(text, max, (shown) => shown.replace(INVISIBLE, escapeChar));
}

/** Untrusted text quoted for an error line, as JSON would quote it, cut short and with invisible characters escaped. */
export function quoteInput(text: string, max = 40): string {
  return `"${shorten(text, max, (shown) => shown.replace(/["\\]/g, '\\$&').replace(INVISIBLE, escapeChar))}"`;
}

function shorten(text: string, max: number, escape: (shown: string) => string): string {
  // Never look at more of a megabyte value than can be shown.
  const head = Array.from(text.slice(0, 2 * max + 2));
  const cut = head.length > max || text.length > 2 * max + 2;
  const shown = escape(head.slice(0, max).join(''));
  return cut ? `${shown}…` : shown;
}

export class ParamError extends Error {}

/** The message for a key that names no parameter: the key cut short, and the nearest parameter when one is close. */
export function unknownParameter(key: string): string {
  const near = nearestKey(
    key,
    SCHEMA.map((spec) => spec.key),
  );
  return `unknown parameter ${quoteInput(key)}${near ? ` (did you mean ${near}?)` : ''}; every parameter is listed by cascade-lab --help`;
}

/**
 * The name among `names` closest to a mistyped `name` (edit distance, ignoring case), if it is
 * close enough to be a typo: at most a third of its letters wrong, and at most 3.
 */
export function nearestKey(name: string, names: readonly string[]): string | undefined {
  if (name.length === 0 || name.length > 40) return undefined;
  const typed = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(typed.length / 3)) + 1;
  for (const candidate of names) {
    const d = editDistance(typed, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** Strict: every key must exist and every value be valid; throws ParamError with one clear line. */
export function parseStrict(entries: Iterable<[string, string | number]>, base: Params = defaultParams()): Params {
  const params = { ...base } as Record<string, number | string>;
  for (const [key, raw] of entries) {
    const spec = paramSpec(key);
    if (!spec) throw new ParamError(unknownParameter(key));
    const result = parseValue(spec, raw);
    if (!result.ok) throw new ParamError(describeProblem(spec, raw));
    params[key] = result.value;
  }
  return params as Params;
}

export interface Notice {
  key: string;
  message: string;
}

/**
 * Lenient: unknown keys are ignored, bad values are clamped (numbers out of range) or replaced
 * by the base value (not a number, not an option), a value with spaces around it is read without
 * them, and a key given more than once keeps its last valid value; each case yields a visible
 * notice. Every notice quotes the user's text cut short, so a megabyte value makes a short line.
 */
export function parseLenient(
  entries: Iterable<[string, string]>,
  base: Params = defaultParams(),
  ignoredKeys: readonly string[] = [],
): { params: Params; notices: Notice[] } {
  const params = { ...base } as Record<string, number | string>;
  const notices: Notice[] = [];
  const seen = new Map<string, number>();
  for (const [key, raw] of entries) {
    if (ignoredKeys.includes(key)) continue;
    const spec = paramSpec(key);
    if (!spec) {
      notices.push({ key, message: `Ignored unknown parameter “${visibleInput(key)}”.` });
      continue;
    }
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const result = parseValue(spec, raw);
    const range = `${spec.label} (${key}) must be ${describeRange(spec)}`;
    if (result.ok) {
      params[key] = result.value;
    } else if (result.reason === 'padded') {
      params[key] = result.trimmed!;
      notices.push({
        key,
        message: `${spec.label} (${key}): “${visibleInput(raw)}” had spaces or invisible characters around it; read as ${result.trimmed}.`,
      });
    } else if (result.clamped !== undefined) {
      params[key] = result.clamped;
      notices.push({ key, message: `${range}; “${visibleInput(raw)}” was changed to ${result.clamped}.` });
    } else {
      const decimal =
        spec.type !== 'enum' && Number.isFinite(Number(raw)) && raw.trim() !== ''
          ? ' (only decimal numbers are read)'
          : '';
      notices.push({
        key,
        message: `${range}; “${visibleInput(raw)}” was ignored${decimal}, using ${params[key]}.`,
      });
    }
  }
  for (const [key, count] of seen) {
    if (count < 2) continue;
    const spec = paramSpec(key)!;
    notices.push({
      key,
      message: `${spec.label} (${key}) was given ${count} times; the last valid value, ${params[key]}, was used.`,
    });
  }
  return { params: params as Params, notices };
}

export function isParamKey(key: string): key is ParamKey {
  return paramSpec(key) !== undefined;
}
