/**
 * Random valid parameter sets for property tests, drawn from the schema's own ranges, so a new
 * parameter is covered the moment it is added.
 */
import fc from 'fast-check';
import { SCHEMA, type ParamKey, type ParamSpec, type Params } from '../../src/model/schema.ts';
import { findPreset } from '../../src/model/presets.ts';
import { clampToSpec, parseStrict } from '../../src/model/validate.ts';

/** Upper limits for size parameters, so runs stay cheap. */
export type Caps = Partial<Record<ParamKey, number>>;

/**
 * A valid parameter set: enums among their options, numbers at one end of their range one time
 * in five and otherwise inside it, log-uniformly on log-scaled ranges. (Not `fc.double`: it draws
 * exponents about uniformly, so most values of a range that starts at 0 would be below 1e-100.)
 */
export function paramsArbitrary(caps: Caps): fc.Arbitrary<Params> {
  const values = SCHEMA.map((spec) => [spec.key, valueArbitrary(spec as ParamSpec, caps[spec.key])] as const);
  return fc
    .record(Object.fromEntries(values) as Record<ParamKey, fc.Arbitrary<number | string>>)
    .map((drawn) => parseStrict(Object.entries(drawn)));
}

function valueArbitrary(spec: ParamSpec, cap = Infinity): fc.Arbitrary<number | string> {
  if (spec.type === 'enum') return fc.constantFrom(...spec.options);
  const max = Math.min(spec.max, cap);
  const low = spec.log && spec.min <= 0 ? spec.step : spec.min;
  const share = fc.nat(2 ** 30).map((n) => n / 2 ** 30);
  const inside = share.map((u) => {
    const x = spec.log ? low * (max / low) ** u : low + (max - low) * u;
    return clampToSpec(spec, Math.min(max, x));
  });
  const ends = spec.minExclusive ? [max] : [spec.min, max];
  return fc.oneof({ arbitrary: fc.constantFrom(...ends), weight: 1 }, { arbitrary: inside, weight: 4 });
}

/** A parameter set from `overrides` over `base` (the defaults when omitted), validated as the CLI validates flags. */
export function paramsWith(overrides: Record<string, number | string>, base?: Params): Params {
  return parseStrict(Object.entries(overrides), base);
}

/** A preset's parameters (over the defaults) with `overrides` on top, validated as the CLI would. */
export function presetParams(name: string, overrides: Record<string, number | string> = {}): Params {
  const preset = findPreset(name);
  if (!preset) throw new Error(`no preset ${name}`);
  return paramsWith(overrides, paramsWith(preset.params as Record<string, number | string>));
}
