/**
 * The scenario a run is, in words: the preset it started from (or the defaults) and what the
 * reader changed since — "perp-cascade, edited: leverage 20×" — so a moved control never hides
 * the story the run came from. A link that is a preset with a few changes reads as that preset
 * edited.
 */
import { PRESETS, type Preset } from '../../model/presets.ts';
import { PARAM_KEYS, defaultParams, paramSpec, type ParamKey, type Params } from '../../model/schema.ts';
import { formatParam, inSentence } from '../explain.ts';

/** A link that differs from a preset in at most this many parameters reads as that preset edited. */
const NEAR = 3;
/** Edits named one by one; the rest are counted. */
const NAMED_EDITS = 3;

export function presetParams(preset: Preset): Params {
  return { ...defaultParams(), ...preset.params } as Params;
}

/** The parameters of `params` that differ from `base`, in schema order. */
export function editsFrom(base: Params, params: Params): ParamKey[] {
  return PARAM_KEYS.filter((key) => base[key] !== params[key]);
}

/**
 * The preset a run read from a link starts from: the one it differs from least (its chain
 * included), when that is at most NEAR parameters and fewer than from the defaults; else none
 * (the defaults).
 */
export function nearestPreset(params: Params, chain: string | undefined): Preset | undefined {
  let best: Preset | undefined;
  let fewest = editsFrom(defaultParams(), params).length + (chain ? 1 : 0);
  for (const preset of PRESETS) {
    const edits = editsFrom(presetParams(preset), params).length + ((preset.chain ?? '') === (chain ?? '') ? 0 : 1);
    if (edits < fewest && edits <= NEAR) {
      best = preset;
      fewest = edits;
    }
  }
  return best;
}

/** "leverage 20×", "the seed 8". */
function editPhrase(key: ParamKey, value: number | string): string {
  if (key === 'seed') return `seed ${value}`;
  const spec = paramSpec(key)!;
  return `${inSentence(spec.label)} ${formatParam(spec, value)}`;
}

/** "perp-cascade", "perp-cascade, edited: leverage 20×", "Defaults, edited: leverage 20×, seed 8 and 2 more". */
export function scenarioName(base: Preset | undefined, params: Params, chainChanged = false): string {
  const name = base?.name ?? 'Defaults';
  const keys = editsFrom(base ? presetParams(base) : defaultParams(), params);
  const phrases = keys.slice(0, NAMED_EDITS).map((key) => editPhrase(key, params[key]));
  if (chainChanged) phrases.unshift('options book');
  const rest = keys.length - Math.min(keys.length, NAMED_EDITS);
  if (phrases.length === 0) return name;
  return `${name}, edited: ${phrases.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** The preset a run is exactly — its parameters and its chain (`chain`: the chain id, '' for the stylized grid, 'file' for a loaded file) — if any. */
export function exactPreset(params: Params, chain: string): Preset | undefined {
  return PRESETS.find(
    (preset) => (preset.chain ?? '') === chain && editsFrom(presetParams(preset), params).length === 0,
  );
}
