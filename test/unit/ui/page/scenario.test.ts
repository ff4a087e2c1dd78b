import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../../src/model/presets.ts';
import { defaultParams, type Params } from '../../../../src/model/schema.ts';
import { nearestPreset, presetParams, scenarioName } from '../../../../src/ui/page/scenario.ts';

const perpCascade = findPreset('perp-cascade')!;

describe('the scenario name', () => {
  test('a preset stays named when a control changes', () => {
    const params = { ...presetParams(perpCascade), leverage: 20 } as Params;
    expect(scenarioName(perpCascade, params)).toBe('perp-cascade, edited: leverage 20×');
    expect(scenarioName(perpCascade, presetParams(perpCascade))).toBe('perp-cascade');
    const many = { ...params, gex: -1, shock: 0.1, liqSpeed: 1, seed: 9 } as Params;
    expect(scenarioName(perpCascade, many)).toBe(
      'perp-cascade, edited: seed 9, shock size 0.1, dealer gamma (GEX sign) −1 and 2 more',
    );
    expect(scenarioName(undefined, { ...defaultParams(), leverage: 20 } as Params)).toBe(
      'Defaults, edited: leverage 20×',
    );
  });

  test('a link that is a preset with a few changes reads as that preset edited', () => {
    expect(nearestPreset({ ...presetParams(perpCascade), leverage: 20 } as Params, undefined)?.name).toBe(
      'perp-cascade',
    );
    expect(nearestPreset(presetParams(findPreset('real-chain')!), 'deribit-btc-2020-05-14')?.name).toBe('real-chain');
    expect(nearestPreset({ ...defaultParams(), leverage: 20 } as Params, undefined)).toBeUndefined();
  });
});
