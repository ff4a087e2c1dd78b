/**
 * The real program, as a user runs it: `node bin/cascade-lab.js …` in a child process, with the
 * real engines (the release build, which `npm test` builds first). Small runs keep this quick.
 */
import { describe, expect, it } from 'vitest';
import { HULL_CALL, cascadeLab } from './harness.ts';

const SMALL = ['--ticks', '50', '--accounts', '1000', '--dealers', '100'];

describe('bin/cascade-lab.js', () => {
  it('prints the usage', async () => {
    const { status, stdout } = await cascadeLab('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\s+--leverage\s+Leverage \(×\): a number in \[1, 100\]; default 10$/m);
  });

  it('lists the presets', async () => {
    const { status, stdout } = await cascadeLab('presets');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^perp-cascade\s+\S/m);
  });

  it.each([
    [['run', '--leverage', 'abc'], 'leverage', '[1, 100]'],
    [['run', '--liqSpeed', '2'], 'liqSpeed', '(0, 1]'],
    [['run', '--nope', '1'], '--nope', 'cascade-lab --help'],
    [
      ['greeks', '--type', 'call', '--spot', '-3', '--strike', '50', '--time', '1', '--vol', '0.2'],
      'spot',
      '(0, 1e12]',
    ],
  ])('%j exits 2 with one line naming the parameter and its range, no stack trace', async (args, name, range) => {
    const { status, stdout, stderr } = await cascadeLab(...args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(name);
    expect(stderr).toContain(range);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  // J. C. Hull, Options, Futures, and Other Derivatives, chapter "The Greek Letters", whose running
  // example is S = 49, K = 50, r = 5%, σ = 20%, T = 20 weeks (0.3846 y), no dividend: value 2.40,
  // Δ = 0.522, Γ = 0.066, vega = 12.1, Θ = −4.31 per year, ρ = 8.91.
  it('prices the textbook option with the WASM engine', async () => {
    const { status, stdout } = await cascadeLab('greeks', ...HULL_CALL, '--rate', '0.05');
    expect(status).toBe(0);
    const greeks = JSON.parse(stdout);
    expect(Object.keys(greeks)).toEqual(['price', 'delta', 'gamma', 'vega', 'theta', 'rho']);
    expect(greeks.price).toBeCloseTo(2.4, 2);
    expect(greeks.delta).toBeCloseTo(0.522, 3);
    expect(greeks.gamma).toBeCloseTo(0.066, 3);
    expect(greeks.vega).toBeCloseTo(12.1, 1);
    expect(greeks.theta).toBeCloseTo(-4.31, 2);
    expect(greeks.rho).toBeCloseTo(8.91, 2);
  });

  it.each(['wasm', 'reference'])('runs the %s engine, printing the same bytes twice', async (engine) => {
    const args = [
      'run',
      '--engine',
      engine,
      '--leverage',
      '25',
      '--gex',
      '-1',
      '--liqSpeed',
      '1',
      '--shock',
      '0.05',
      '--seed',
      '7',
      ...SMALL,
    ];
    const first = await cascadeLab(...args);
    const second = await cascadeLab(...args);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout);
    expect(report.params).toMatchObject({ leverage: 25, gex: -1, liqSpeed: 1, shock: 0.05, seed: 7, ticks: 50 });
    expect(report.series.price).toHaveLength(51);
    expect(first.stdout).not.toMatch(/NaN|Infinity/);
  });
});
