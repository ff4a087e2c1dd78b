/**
 * `run --url` takes every link the page writes: each preset's (with its chain and price path),
 * compare mode's, and the page's view entries (cursor, stress map, frozen, widget). Page entries
 * that name the run (`preset`, `chain`, `history`) are applied; the rest are ignored with one
 * notice each on stderr, and the run is run A's.
 */
import { describe, expect, it } from 'vitest';
import { CHAINS } from '../../../src/model/chains.ts';
import type { HistoryId } from '../../../src/model/history.ts';
import { PRESETS } from '../../../src/model/presets.ts';
import { defaultParams, type Params } from '../../../src/model/schema.ts';
import { pageQuery } from '../../../src/state/location.ts';
import { cli } from './harness.ts';

const presetParams = (name: string): Params =>
  ({ ...defaultParams(), ...PRESETS.find((p) => p.name === name)!.params }) as Params;

/** The link as the page writes it for a preset, with the cursor and the stress map's setup. */
function presetLink(name: string): string {
  const preset = PRESETS.find((p) => p.name === name)!;
  const query = pageQuery(presetParams(name), {
    frozen: true,
    chain: preset.chain,
    history: preset.history as HistoryId | undefined,
    cursor: 30,
    stress: { x: { key: 'leverage', range: [2, 30] }, y: { key: 'gex', range: [-1, 1] }, size: 6 },
  });
  return `http://127.0.0.1:4173/?${query}`;
}

describe('run --url with the page’s own links', () => {
  it.each(PRESETS.map((p) => p.name))('accepts the link of preset %s, chain and price path applied', async (name) => {
    const preset = PRESETS.find((p) => p.name === name)!;
    // A short run: the fake engine's series are for parsing, not for long runs.
    const { status, stdout, stderr } = await cli(['run', '--url', presetLink(name), '--ticks', '200']);
    expect(status, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.params).toEqual({ ...presetParams(name), ticks: 200 });
    if (preset.chain) expect(report.chain).toEqual({ id: preset.chain, label: CHAINS[preset.chain].label });
    else expect(report.chain).toBeUndefined();
    if (preset.history) expect(report.history.id).toBe(preset.history);
    else expect(report.history).toBeUndefined();
    expect(stderr).toContain('ignored the page’s own entries of the link (frozen, t, stress)'.replace('’', "'"));
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('accepts a compare link: prints run A and says how to run B', async () => {
    const query = pageQuery(presetParams('perp-cascade'), { frozen: false, overridesB: { leverage: 20, liqSpeed: 1 } });
    const { status, stdout, stderr } = await cli(['run', '--url', `?${query}`]);
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout).params).toEqual(presetParams('perp-cascade'));
    expect(stderr).toContain('this is run A (for run B, add --leverage --liqSpeed');
  });

  it('applies preset= under the link’s own parameters, and flags over both', async () => {
    const { status, stdout } = await cli(['run', '--url', '?preset=luna-ust&seed=7', '--ticks', '50']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.preset).toBe('luna-ust');
    expect(report.params).toEqual({ ...presetParams('luna-ust'), seed: 7, ticks: 50 });
  });

  it('refuses an unknown chain, price path or preset in one line naming the entry and the choices', async () => {
    for (const [query, key] of [
      ['?chain=nope', 'chain'],
      ['?history=x'.padEnd(200, 'x'), 'history'],
      ['?preset=nope', 'preset'],
    ]) {
      const { status, stderr } = await cli(['run', '--url', query]);
      expect(status).toBe(2);
      expect(stderr).toMatch(new RegExp(`^cascade-lab: url: ${key} ".*" is not allowed; ${key} must be one of `));
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr.length).toBeLessThan(400);
    }
  });
});
