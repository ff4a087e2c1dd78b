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
  | { ok: false; reason: 'not-a-number' | 'not-an-option' | 'out-of-range' | 'not-an-integer'; clamped?: number };

/** Parse one raw value against its spec without any side effect. */
export function parseValue(spec: ParamSpec, raw: string | number | boolean): ParseResult {
  if (spec.type === 'enum') {
    const s = String(raw).trim();
    return (spec.options as readonly string[]).includes(s)
      ? { ok: true, value: s }
      : { ok: false, reason: 'not-an-option' };
  }
  const text = typeof raw === 'number' ? raw : String(raw).trim();
  const x = typeof text === 'number' ? text : text === '' ? NaN : Number(text);
  if (typeof raw === 'boolean' || !Number.isFinite(x)) return { ok: false, reason: 'not-a-number' };
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

/** The one-line message for a rejected value: names the parameter, what was given, the range. */
export function describeProblem(spec: ParamSpec, raw: unknown): string {
  const shown = JSON.stringify(String(raw).slice(0, 40));
  return `${spec.key}: ${shown} is not allowed; ${spec.key} (${spec.label}) must be ${describeRange(spec)}`;
}

export class ParamError extends Error {}

/** Strict: every key must exist and every value be valid; throws ParamError with one clear line. */
export function parseStrict(entries: Iterable<[string, string | number]>, base: Params = defaultParams()): Params {
  const params = { ...base } as Record<string, number | string>;
  for (const [key, raw] of entries) {
    const spec = paramSpec(key);
    if (!spec)
      throw new ParamError(`unknown parameter "${key}"; known parameters: ${SCHEMA.map((p) => p.key).join(', ')}`);
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
 * by the base value (not a number, not an option); each case yields a visible notice.
 */
export function parseLenient(
  entries: Iterable<[string, string]>,
  base: Params = defaultParams(),
  ignoredKeys: readonly string[] = [],
): { params: Params; notices: Notice[] } {
  const params = { ...base } as Record<string, number | string>;
  const notices: Notice[] = [];
  for (const [key, raw] of entries) {
    if (ignoredKeys.includes(key)) continue;
    const spec = paramSpec(key);
    if (!spec) {
      notices.push({ key, message: `Ignored unknown parameter “${truncate(key)}”.` });
      continue;
    }
    const result = parseValue(spec, raw);
    if (result.ok) {
      params[key] = result.value;
    } else if (result.clamped !== undefined) {
      params[key] = result.clamped;
      notices.push({
        key,
        message: `${spec.label} (${key}) must be ${describeRange(spec)}; “${truncate(raw)}” was changed to ${result.clamped}.`,
      });
    } else {
      notices.push({
        key,
        message: `${spec.label} (${key}) must be ${describeRange(spec)}; “${truncate(raw)}” was ignored, using ${params[key]}.`,
      });
    }
  }
  return { params: params as Params, notices };
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function isParamKey(key: string): key is ParamKey {
  return paramSpec(key) !== undefined;
}
