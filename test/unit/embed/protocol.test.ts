/**
 * The widget's message protocol (src/embed/protocol.ts): what the host may send, what is refused
 * and how, over hand-written cases and generated payloads (seeded; the counts stay small here).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PRESETS, findPreset } from '../../../src/model/presets.ts';
import { PARAM_KEYS, defaultParams, type Params } from '../../../src/model/schema.ts';
import { PROTOCOL_VERSION, applySet, readCommand, type WidgetState } from '../../../src/embed/protocol.ts';
import { paramsArbitrary } from '../../support/params.ts';

const state: WidgetState = { params: defaultParams(), ticks: 720 };
const read = (data: unknown) => readCommand(data, state);

describe('host commands', () => {
  test('play, pause, seek and preset are read with or without the version', () => {
    expect(read({ type: 'cascade-lab:play' })).toEqual({ kind: 'command', command: { kind: 'play' } });
    expect(read({ type: 'cascade-lab:pause', version: 1 })).toEqual({ kind: 'command', command: { kind: 'pause' } });
    expect(read({ type: 'cascade-lab:seek', tick: 30 })).toEqual({
      kind: 'command',
      command: { kind: 'seek', tick: 30 },
    });
    expect(read({ type: 'cascade-lab:preset', name: 'mitigated' })).toEqual({
      kind: 'command',
      command: { kind: 'preset', preset: findPreset('mitigated') },
    });
  });

  test('set applies values read through the schema, as a link is', () => {
    const result = read({ type: 'cascade-lab:set', params: { leverage: 25, gex: '-1', impactLaw: 'sqrt' } });
    expect(result).toEqual({
      kind: 'command',
      command: { kind: 'set', params: { ...defaultParams(), leverage: 25, gex: -1, impactLaw: 'sqrt' } },
    });
  });

  test('a set with one bad value changes nothing and names the parameter and its range', () => {
    const result = read({ type: 'cascade-lab:set', params: { leverage: 25, gex: 7 }, id: 'q1' });
    expect(result.kind).toBe('refuse');
    if (result.kind !== 'refuse') return;
    expect(result.error).toMatchObject({ type: 'cascade-lab:error', version: 1, command: 'set', id: 'q1' });
    expect(result.error.message).toMatch(
      /^set changed nothing: Dealer gamma \(GEX sign\) \(gex\) must be a number in \[-1, 1\]; “7” was not applied$/,
    );
    expect(result.error.problems).toEqual([{ key: 'gex', message: expect.stringContaining('(gex) must be') }]);
  });

  test.each([
    [{ type: 'cascade-lab:set', params: { nope: 1 } }, /unknown parameter “nope”/],
    [{ type: 'cascade-lab:set', params: { leverage: true } }, /Leverage \(leverage\) must be .*“true” was not applied/],
    [
      { type: 'cascade-lab:set', params: { leverage: { x: 1 } } },
      /Leverage \(leverage\) must be .*“an object” was not applied/,
    ],
    [{ type: 'cascade-lab:set', params: [1, 2] }, /params must be an object/],
    [{ type: 'cascade-lab:set' }, /params must be an object/],
    [{ type: 'cascade-lab:set', params: { seed: 1.5 } }, /Seed \(seed\) must be an integer/],
    [{ type: 'cascade-lab:set', params: { leverage: Number.NaN } }, /Leverage \(leverage\) must be/],
    [{ type: 'cascade-lab:seek', tick: 721 }, /^seek: tick must be an integer in \[0, 720\]; “721” was sent$/],
    [{ type: 'cascade-lab:seek', tick: '3' }, /seek: tick must be an integer/],
    [{ type: 'cascade-lab:seek', tick: 2.5 }, /seek: tick must be an integer/],
    [{ type: 'cascade-lab:preset', name: 'nope' }, /preset: “nope” is not a preset; presets are calm, /],
    [{ type: 'cascade-lab:preset' }, /preset: “undefined” is not a preset/],
    [{ type: 'cascade-lab:explode' }, /unknown command “explode”; commands are set, play, pause, seek, preset/],
    [{ type: 'cascade-lab:ready' }, /unknown command “ready”/],
    [{ type: 'cascade-lab:play', version: 2 }, /speaks protocol version 1; “2” was sent/],
  ])('%j is refused', (data, message) => {
    const result = read(data);
    expect(result.kind).toBe('refuse');
    if (result.kind === 'refuse') expect(result.error.message).toMatch(message);
  });

  test.each([null, undefined, 0, 'cascade-lab:play', [], { type: 'play' }, { type: 'other:play' }, { kind: 'x' }])(
    '%j is not for the widget: ignored, no reply',
    (data) => expect(read(data)).toEqual({ kind: 'ignore' }),
  );

  test('a set naming every parameter at its preset value gives the preset', () => {
    for (const preset of PRESETS) {
      const wanted = { ...defaultParams(), ...preset.params } as Params;
      expect(applySet(defaultParams(), wanted)).toEqual({ ok: true, params: wanted });
    }
  });
});

describe('generated payloads', () => {
  const namespaced = fc.record(
    {
      type: fc
        .oneof(fc.constantFrom('set', 'play', 'pause', 'seek', 'preset', 'ready', ''), fc.string({ maxLength: 2000 }))
        .map((name) => `cascade-lab:${name}`),
      version: fc.oneof(fc.constant(PROTOCOL_VERSION), fc.anything()),
      params: fc.oneof(
        fc.dictionary(fc.oneof(fc.constantFrom(...PARAM_KEYS), fc.string({ maxLength: 3000 })), fc.anything(), {
          maxKeys: 30,
        }),
        fc.anything(),
      ),
      tick: fc.oneof(fc.integer({ min: -10, max: 1000 }), fc.double(), fc.anything()),
      name: fc.oneof(fc.constantFrom(...PRESETS.map((p) => p.name)), fc.string({ maxLength: 3000 }), fc.anything()),
      id: fc.oneof(fc.string({ maxLength: 3000 }), fc.double(), fc.anything()),
    },
    { requiredKeys: ['type'] },
  );

  test('whatever arrives, the widget never throws, and every refusal is short and names the command', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), namespaced), (data) => {
        const result = read(data);
        if (result.kind === 'refuse') {
          expect(result.error.type).toBe('cascade-lab:error');
          expect(result.error.message.length).toBeLessThan(2500);
          expect(result.error.command.length).toBeLessThanOrEqual(41);
          expect(result.error.problems.length).toBeLessThanOrEqual(10);
          if (result.error.id !== undefined) expect(String(result.error.id).length).toBeLessThanOrEqual(41);
        }
        if (result.kind === 'command' && result.command.kind === 'set')
          for (const key of PARAM_KEYS) expect(typeof result.command.params[key]).toMatch(/^(number|string)$/);
      }),
      { seed: 9, numRuns: 600 },
    );
  });

  test('set is all or nothing: applied values are exactly the sent ones, and a refusal changes nothing', () => {
    fc.assert(
      fc.property(paramsArbitrary({ ticks: 200 }), fc.subarray([...PARAM_KEYS]), fc.boolean(), (sent, keys, spoil) => {
        const params = Object.fromEntries(keys.map((key) => [key, sent[key]])) as Record<string, unknown>;
        if (spoil && keys.length > 0) params[keys[0]] = 'not a value';
        const result = applySet(state.params, params);
        if (spoil && keys.length > 0) expect(result.ok).toBe(false);
        else {
          expect(result).toEqual({ ok: true, params: { ...state.params, ...params } });
        }
      }),
      { seed: 10, numRuns: 200 },
    );
  });
});
