/**
 * `cascade-lab run --url` reads every link the page writes: a link copied from each preset (its
 * chain and price history applied), from the compare mode (run A, with run B's flags in a note),
 * with the page's display settings (ignored with a note), and any key of the one list of page
 * keys, `PAGE_KEYS` (src/state/page-keys.ts). In-process with the fake engine (./harness.ts).
 */
import { describe, expect, it } from 'vitest';
import { CHAINS, chainGrid } from '../../../src/model/chains.ts';
import { PRESETS } from '../../../src/model/presets.ts';
import { PARAM_KEYS, defaultParams, type Params } from '../../../src/model/schema.ts';
import { PAGE_KEYS, pageQuery } from '../../../src/state/location.ts';
import { cli } from './harness.ts';

const PAGE = 'http://127.0.0.1:4173/';

/** The link the page's address bar holds after choosing `preset` in the Scenario menu (App.svelte's loadPreset). */
function presetLink(name: string, frozen = false): string {
  const preset = PRESETS.find((p) => p.name === name)!;
  const params = { ...defaultParams(), ...preset.params } as Params;
  return `${PAGE}?${pageQuery(params, { frozen, chain: preset.chain, history: preset.history as never })}`;
}

const notes = (stderr: string): string[] =>
  stderr
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '');

describe('run --url with a link copied from the page', () => {
  it.each(PRESETS.map((preset) => [preset.name]))('the %s preset: its parameters, chain and history', async (name) => {
    const preset = PRESETS.find((p) => p.name === name)!;
    const h = await cli(['run', '--url', presetLink(name, true), '--ticks', '40']);
    expect(h.status).toBe(0);
    const report = JSON.parse(h.stdout);
    expect(report.params).toEqual({ ...defaultParams(), ...preset.params, ticks: 40 });
    expect(report.history?.id).toBe(preset.history);
    if (preset.chain) {
      expect(report.chain).toMatchObject({ id: preset.chain, label: CHAINS[preset.chain].label });
      expect(h.engines[0].grid).toEqual(chainGrid(preset.chain));
    } else {
      expect(report.chain).toBeUndefined();
      expect(h.engines[0].grid).toBeUndefined();
    }
    // frozen=1 is a display setting of the page: ignored, and said so in one note.
    expect(notes(h.stderr)).toEqual([
      "cascade-lab: note: ignored the page's display settings in the link: frozen=1 (computes each run to its end at once, without animation); they change how the page shows a run, not the run",
    ]);
  });

  it('prints the same run as the preset itself', async () => {
    for (const { name } of PRESETS) {
      const viaLink = await cli(['run', '--url', presetLink(name), '--ticks', '20']);
      const viaPreset = await cli(['run', '--preset', name, '--ticks', '20']);
      expect(viaLink.stderr).toBe('');
      const { preset: _, ...rest } = JSON.parse(viaPreset.stdout);
      expect(JSON.parse(viaLink.stdout)).toEqual(rest);
    }
  });

  it('a compare link: runs A and says how to run B', async () => {
    const a = { ...defaultParams(), leverage: 15, seed: 3 } as Params;
    const link = `${PAGE}?${pageQuery(a, { frozen: false, overridesB: { leverage: 25, liqSpeed: 1 } })}`;
    expect(link).toContain('compare=1&b.leverage=25&b.liqSpeed=1');
    const h = await cli(['run', '--url', link, '--ticks', '20']);
    expect(h.status).toBe(0);
    expect(JSON.parse(h.stdout).params).toEqual({ ...a, ticks: 20 });
    expect(notes(h.stderr)).toEqual([
      'cascade-lab: note: the link compares two runs; this is run A. Run B is run A with --leverage 25 --liqSpeed 1',
    ]);
    const b = await cli(['run', '--url', link, '--ticks', '20', '--leverage', '25', '--liqSpeed', '1']);
    expect(JSON.parse(b.stdout).params).toEqual({ ...a, ticks: 20, leverage: 25, liqSpeed: 1 });
  });

  it('a compare link whose B is a copy of A', async () => {
    const h = await cli(['run', '--url', `${PAGE}?v=1&seed=7&compare=1`, '--ticks', '20']);
    expect(h.status).toBe(0);
    expect(notes(h.stderr)).toEqual([
      'cascade-lab: note: the link compares run A with a copy of itself; this is run A',
    ]);
  });

  it('accepts every key of PAGE_KEYS, so a page key added there runs in the CLI at once', async () => {
    const values: Record<string, string> = {
      chain: 'deribit-btc-2020-05-14',
      history: 'djia-1d-1987',
      preset: 'calm',
    };
    const query = PAGE_KEYS.map(
      (spec) => `${spec.key}${spec.prefix ? 'leverage' : ''}=${values[spec.key] ?? '1'}`,
    ).join('&');
    const h = await cli(['run', '--url', `${PAGE}?v=1&seed=2&${query}`, '--ticks', '20']);
    expect(h.status).toBe(0);
    expect(JSON.parse(h.stdout).params.seed).toBe(2);
    for (const spec of PAGE_KEYS.filter((s) => s.cli === 'ignored' && !s.prefix && s.key !== 'compare'))
      expect(h.stderr).toContain(`${spec.key}=1 (${spec.what})`);
  });

  it('flags win over the link, the link over the preset, for the chain and the history too', async () => {
    const h = await cli([
      'run',
      '--preset',
      'real-chain',
      '--url',
      `${PAGE}?v=1&seed=5&history=djia-1d-1987&leverage=30`,
      '--leverage',
      '12',
      '--ticks',
      '20',
    ]);
    const report = JSON.parse(h.stdout);
    expect(report.params).toMatchObject({ seed: 5, leverage: 12 });
    expect(report.chain.id).toBe('deribit-btc-2020-05-14'); // the preset's: the link names none
    expect(report.history.id).toBe('djia-1d-1987');
  });

  it("applies the link's preset under the link's parameters, its chain and history included", async () => {
    const h = await cli(['run', '--url', `${PAGE}?v=1&preset=real-chain&leverage=30`, '--ticks', '20']);
    expect(h.status).toBe(0);
    const report = JSON.parse(h.stdout);
    const preset = PRESETS.find((p) => p.name === 'real-chain')!;
    expect(report.params).toMatchObject({ ...preset.params, leverage: 30, ticks: 20 });
    expect(report.preset).toBe('real-chain');
    expect(report.chain.id).toBe(preset.chain);
    expect(notes(h.stderr)).toEqual([]);
  });

  it.each([
    [`${PAGE}?preset=nope`, /^preset: "nope" is not allowed; preset \(the link's preset\) must be one of calm, /],
    [
      `${PAGE}?chain=mine`,
      /^chain: "mine" is not allowed; chain \(the link's options chain\) must be one of deribit-btc-2020-05-14$/,
    ],
    [
      `${PAGE}?history=<b>x</b>`,
      /^history: "<b>x<\/b>" is not allowed; history \(the link's price history\) must be one of /,
    ],
    [
      `${PAGE}?compare=1&b.leverage=500`,
      /^leverage: "500" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]$/,
    ],
    [`${PAGE}?b.nope=1`, /^unknown parameter "nope"/],
    [`${PAGE}v=1&seed=3`, /^url: the link ".*" has no "\?" before its parameters/],
  ])('refuses %s in one line', async (link, message) => {
    const h = await cli(['run', '--url', link]);
    expect(h.status).toBe(2);
    expect(h.stdout).toBe('');
    expect(notes(h.stderr)).toHaveLength(1);
    expect(h.stderr.replace(/^cascade-lab: /, '').trimEnd()).toMatch(message);
  });

  it('notes a parameter the link gives twice', async () => {
    const h = await cli(['run', '--url', `${PAGE}?leverage=20&leverage=30`, '--ticks', '20']);
    expect(JSON.parse(h.stdout).params.leverage).toBe(30);
    expect(notes(h.stderr)).toEqual([
      'cascade-lab: note: leverage is given 2 times in the link; the last value, 30, was used',
    ]);
  });

  it('no parameter takes the name of a page key or starts with a page prefix', () => {
    for (const spec of PAGE_KEYS)
      expect(PARAM_KEYS.filter((key) => (spec.prefix ? key.startsWith(spec.key) : key === spec.key))).toEqual([]);
  });
});
