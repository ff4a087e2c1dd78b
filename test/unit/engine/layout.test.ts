/**
 * assembly/layout.ts mirrors the TypeScript side by hand: the parameter order
 * (src/model/schema.ts), the column order (src/model/series.ts), the model's constants (MODEL
 * in src/model/constants.ts, the grid block in src/model/option-grid.ts) and the option indices
 * of enum parameters (the schema). Nothing but this test links them: a parameter added to the
 * schema but not to `enum P` would shift every parameter after it, and the engines would
 * silently disagree.
 *
 * The AssemblyScript source is read as text, not compiled: enum members and the
 * `export const NAME: type = value;` lines are simple enough to parse with a regex.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL } from '../../../src/model/constants.ts';
import { GRID_STRIDE, MAX_OPTION_SERIES } from '../../../src/model/option-grid.ts';
import { SCHEMA, PARAM_KEYS } from '../../../src/model/schema.ts';
import { SERIES_KEYS } from '../../../src/model/series.ts';
import { loadEngineNode, type WasmBuild } from '../../../src/sim/wasm-node.ts';
import type { EngineExports } from '../../../src/sim/wasm.ts';

const LAYOUT = readFileSync(new URL('../../../assembly/layout.ts', import.meta.url), 'utf8');

/** Member names of `export enum NAME { … }`, in order. */
function enumMembers(name: string): string[] {
  const body = new RegExp(`export enum ${name} \\{([^}]*)\\}`).exec(LAYOUT)?.[1];
  if (body === undefined) throw new Error(`enum ${name} not found in assembly/layout.ts`);
  return body
    .replace(/\/\/.*$/gm, '')
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '');
}

/**
 * Every `export const NAME: type = value;` of the layout, evaluated. A value may be a number
 * literal or arithmetic on literals and constants defined above it, nothing else.
 */
function layoutConstants(): Map<string, number> {
  const constants = new Map<string, number>();
  for (const [, name, expression] of LAYOUT.matchAll(/^export const (\w+): \w+ = (.+);$/gm)) {
    const substituted = expression.replace(/(?<![\w.])[A-Za-z_]\w*/g, (word) => {
      const value = constants.get(word);
      if (value === undefined) throw new Error(`${name}: cannot evaluate "${expression}" (unknown name ${word})`);
      return `(${value})`;
    });
    if (!/^[\d.eE+\-*/() ]+$/.test(substituted)) throw new Error(`${name}: cannot evaluate "${expression}"`);
    constants.set(name, Number(new Function(`return ${substituted};`)()));
  }
  return constants;
}

/**
 * Option indices of enum parameters, by the layout's naming: PREFIX_OPTION is the index of
 * `option` among the options of the enum parameter whose key starts with `prefix`
 * (ORACLE_TWAP → oracleMode's 'twap', VENUE_CEX → venue's 'cex', IMPACT_LINEAR → impactLaw's 'linear').
 */
const OPTION_INDICES: Record<string, number> = Object.fromEntries(
  SCHEMA.flatMap((spec) =>
    spec.type === 'enum'
      ? (spec.options as readonly string[]).map((option, i) => {
          const prefix = spec.key.replace(/[A-Z].*$/, '').toUpperCase();
          return [`${prefix}_${option.toUpperCase()}`, i] as const;
        })
      : [],
  ),
);

/** The TypeScript value each layout constant mirrors. */
const COUNTERPARTS: Record<string, number> = {
  ...OPTION_INDICES,
  ...Object.fromEntries(
    (Object.entries(MODEL) as [string, unknown][]).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  ),
  GRID_STRIDE,
  MAX_OPTION_SERIES,
};

describe('assembly/layout.ts mirrors the TypeScript tables', () => {
  it('enum P lists the schema keys in schema order, then COUNT', () => {
    const members = enumMembers('P');
    expect(members.at(-1)).toBe('COUNT');
    expect(members.slice(0, -1)).toEqual(PARAM_KEYS);
  });

  it('enum Col lists the series keys in series order, then COUNT', () => {
    const members = enumMembers('Col');
    expect(members.at(-1)).toBe('COUNT');
    expect(members.slice(0, -1)).toEqual(SERIES_KEYS);
  });

  it('every numeric constant equals its TypeScript counterpart', () => {
    const constants = layoutConstants();
    // The parse found the constants at all (a changed declaration style would otherwise pass vacuously).
    expect(constants.size).toBeGreaterThanOrEqual(15);
    for (const [name, value] of constants) {
      expect(
        COUNTERPARTS,
        `${name} in assembly/layout.ts has no counterpart in MODEL, option-grid.ts or the schema's enum options`,
      ).toHaveProperty(name);
      expect(value, name).toBe(COUNTERPARTS[name]);
    }
  });

  it('IMPACT_LINEAR is the index of "linear" among the impactLaw options', () => {
    const impactLaw = SCHEMA.find((spec) => spec.key === 'impactLaw');
    expect(impactLaw?.type).toBe('enum');
    const options = impactLaw?.type === 'enum' ? (impactLaw.options as readonly string[]) : [];
    expect(options.indexOf('linear')).toBe(MODEL.IMPACT_LINEAR);
    expect(layoutConstants().get('IMPACT_LINEAR')).toBe(MODEL.IMPACT_LINEAR);
  });
});

describe.each<WasmBuild>(['debug', 'release'])('the %s build was compiled from this layout', (build) => {
  let wasm: EngineExports;
  beforeAll(async () => {
    wasm = await loadEngineNode(build);
  });

  it('paramCount() and columnCount() match the schema and the series', () => {
    expect((wasm.paramCount as () => number)()).toBe(SCHEMA.length);
    expect((wasm.columnCount as () => number)()).toBe(SERIES_KEYS.length);
  });

  it('gridCapacity() matches MAX_OPTION_SERIES', () => {
    expect((wasm.gridCapacity as () => number)()).toBe(MAX_OPTION_SERIES);
  });
});
