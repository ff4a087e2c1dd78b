/**
 * The whole CLI in-process (./harness.ts): captured output, a fake engine and a fake pricer
 * injected, so these tests pin down parsing, precedence, output format and errors independently
 * of the model.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/model/presets.ts';
import { SCHEMA, defaultParams, describeRange, type Params } from '../../../src/model/schema.ts';
import { SERIES_KEYS } from '../../../src/model/series.ts';
import { nodeDeps } from '../../../src/cli/deps.ts';
import { HULL_CALL, cli } from './harness.ts';

const params = (overrides: Partial<Params>): Params => ({ ...defaultParams(), ...overrides });

describe('help', () => {
  it.each([[[]], [['help']], [['--help']], [['-h']], [['run', '--leverage', '3', '--help']]])(
    '%j prints the usage',
    async (argv) => {
      const { status, stdout, stderr } = await cli(argv);
      expect(status).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain('cascade-lab run');
    },
  );

  it('lists every parameter flag with its range and default, and every greeks flag', async () => {
    const { stdout } = await cli(['--help']);
    for (const spec of SCHEMA) {
      const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`--${spec.key} `));
      expect(line, spec.key).toBeDefined();
      expect(line).toContain(describeRange(spec));
      const shown = line!.match(/default (\S+)$/)?.[1];
      expect(spec.type === 'enum' ? shown : Number(shown)).toBe(spec.default);
    }
    for (const flag of [
      '--type',
      '--spot',
      '--strike',
      '--time',
      '--vol',
      '--rate',
      '--dividend',
      '--preset',
      '--url',
      '--engine',
      '--format',
      '--out',
    ]) {
      expect(stdout).toMatch(new RegExp(`^\\s+${flag} `, 'm'));
    }
  });
});

describe('presets', () => {
  it('prints one line per preset: the name, padded, then its title', async () => {
    const { status, stdout } = await cli(['presets']);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(PRESETS.length);
    const titleColumn = lines[0].indexOf(PRESETS[0].title);
    PRESETS.forEach((preset, i) => {
      expect(lines[i].startsWith(preset.name)).toBe(true);
      expect(lines[i].indexOf(preset.title)).toBe(titleColumn);
    });
  });
});

describe('run', () => {
  it('prints { params, summary, series } as valid JSON, a column of ticks + 1 numbers per series', async () => {
    // The drawdown counts from the shock's start: tick 0 here, so the fake engine's whole path.
    const { status, stdout, stderr, engines } = await cli(['run', '--ticks', '40', '--shockStart', '0']);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['params', 'summary', 'series']);
    expect(report.params).toEqual(params({ ticks: 40, shockStart: 0 }));
    expect(Object.keys(report.series)).toEqual(SERIES_KEYS);
    for (const key of SERIES_KEYS) expect(report.series[key]).toHaveLength(41);
    expect(report.series.price[1]).toBe(3000 * 0.999);
    for (const key of [
      'maxDrawdown',
      'feedbackMultiplier',
      'realizedVol',
      'returnAutocorr',
      'liquidatedNotional',
      'badDebt',
      'finalPrice',
      'haltedTicks',
    ]) {
      expect(report.summary[key], key).toBeTypeOf('number');
    }
    expect(report.summary.maxDrawdown).toBeCloseTo(0.04, 12);
    expect(engines.map((e) => e.kind)).toEqual(['wasm']);
  });

  it('prints the same bytes twice', async () => {
    const argv = ['run', '--ticks', '30', '--gex', '-1'];
    expect((await cli(argv)).stdout).toBe((await cli(argv)).stdout);
  });

  it('accepts --flag value and --flag=value, negative values included', async () => {
    const { stdout } = await cli(['run', '--leverage=25', '--gex', '-1', '--impactLaw', 'linear', '--ticks', '10']);
    expect(JSON.parse(stdout).params).toEqual(params({ leverage: 25, gex: -1, impactLaw: 'linear', ticks: 10 }));
  });

  it('layers defaults < preset < --url < flags, whatever the order on the line', async () => {
    const cascade = PRESETS.find((p) => p.name === 'perp-cascade')!;
    const { stdout } = await cli([
      'run',
      '--gex',
      '0.25',
      '--url',
      'https://x.org/?v=1&seed=3&gex=0.5&leverage=40',
      '--preset',
      'perp-cascade',
      '--ticks',
      '10',
    ]);
    expect(JSON.parse(stdout).params).toEqual(
      params({ ...cascade.params, seed: 3, leverage: 40, gex: 0.25, ticks: 10 }),
    );
  });

  it('passes the reference engine choice through', async () => {
    const { engines } = await cli(['run', '--engine', 'reference', '--ticks', '10']);
    expect(engines.map((e) => e.kind)).toEqual(['reference']);
  });

  it('prints CSV: a preamble with the parameters, a header with units, then one row per tick from 0', async () => {
    const { status, stdout } = await cli(['run', '--format', 'csv', '--ticks', '10']);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const preamble = lines.filter((line) => line.startsWith('# '));
    expect(JSON.parse(preamble.find((line) => line.startsWith('# params: '))!.slice('# params: '.length))).toEqual(
      params({ ticks: 10 }),
    );
    const rows = lines.slice(preamble.length);
    expect(rows[0].split(',').map((h) => h.split(' (')[0])).toEqual(['tick', ...SERIES_KEYS]);
    expect(rows[0]).toContain(',price (USD),');
    expect(rows).toHaveLength(12);
    expect(rows[2].split(',')).toHaveLength(SERIES_KEYS.length + 1);
    expect(rows[2].startsWith('1,2997,')).toBe(true);
  });

  it('writes to --out instead of standard output, with a note on stderr', async () => {
    const { status, stdout, stderr, files } = await cli(['run', '--ticks', '10', '--out', 'run.json']);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('cascade-lab: wrote 10 ticks to run.json\n');
    expect(JSON.parse(files.get('run.json')!).params.ticks).toBe(10);
  });

  it('reports a file it cannot write as bad input, in one line', async () => {
    const { status, stderr } = await cli(['run', '--ticks', '10', '--out', '/nope/run.json'], {
      writeFile: async () => {
        throw new Error("ENOENT: no such file or directory, open '/nope/run.json'");
      },
    });
    expect(status).toBe(2);
    expect(stderr).toBe(
      `cascade-lab: out: cannot write "/nope/run.json": ENOENT: no such file or directory, open '/nope/run.json'\n`,
    );
  });

  it('prints nothing and exits 1 when the engine produces a non-finite number', async () => {
    const { status, stdout, stderr } = await cli(['run', '--ticks', '10'], { poison: { key: 'liqQueue', tick: 4 } });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('cascade-lab: internal error: series liqQueue is NaN at tick 4; nothing was printed\n');
  });

  it('turns an unexpected failure into one line and status 1', async () => {
    const { status, stderr } = await cli(['run'], {
      createEngine: async () => {
        throw new Error('the engine is not built\n(build/release.wasm is missing)');
      },
    });
    expect(status).toBe(1);
    expect(stderr).toBe('cascade-lab: the engine is not built (build/release.wasm is missing)\n');
  });
});

describe('greeks', () => {
  it('reads the option, rate and dividend defaulting to 0, and prints the six values as JSON', async () => {
    const { status, stdout, options } = await cli(['greeks', ...HULL_CALL]);
    expect(status).toBe(0);
    expect(options).toEqual([{ type: 'call', spot: 49, strike: 50, time: 0.3846, vol: 0.2, rate: 0, dividend: 0 }]);
    expect(JSON.parse(stdout)).toEqual({ price: 2.4, delta: 0.52, gamma: 0.066, vega: 12.1, theta: -4.31, rho: 8.91 });
  });

  it('refuses a non-finite result', async () => {
    const { status, stdout, stderr } = await cli(
      ['greeks', '--type', 'put', '--spot', '1', '--strike', '1', '--time', '1', '--vol', '1'],
      {
        greeks: async () => ({ price: 1, delta: 0, gamma: Infinity, vega: 0, theta: 0, rho: 0 }),
      },
    );
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('cascade-lab: internal error: greek gamma is Infinity; nothing was printed\n');
  });
});

describe('bad input: one line naming the flag and what it must be, status 2', () => {
  const option = ['--type', 'call', '--spot', '49', '--strike', '50', '--time', '0.5', '--vol', '0.2'];
  it.each([
    [['frobnicate'], /^unknown command "frobnicate"; commands: run, greeks, presets/],
    [['run', '--leverag', '25'], /^unknown flag --leverag for "run"/],
    [['run', '--leverage'], /^leverage: a value is missing; leverage \(Leverage\) must be a number in \[1, 100\]$/],
    [
      ['run', '--leverage', 'abc'],
      /^leverage: "abc" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]$/,
    ],
    [
      ['run', '--leverage', '500'],
      /^leverage: "500" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]$/,
    ],
    [
      ['run', '--liqSpeed', '0'],
      /^liqSpeed: "0" is not allowed; liqSpeed \(Liquidation speed\) must be a number in \(0, 1\]$/,
    ],
    [
      ['run', '--ticks', '12.5'],
      /^ticks: "12.5" is not allowed; ticks \(Run length\) must be an integer in \[10, 20000\]$/,
    ],
    [
      ['run', '--impactLaw', 'cubic'],
      /^impactLaw: "cubic" is not allowed; impactLaw \(Impact law\) must be one of linear, sqrt$/,
    ],
    [
      ['run', '--preset', 'panic'],
      /^preset: "panic" is not allowed; preset must be one of calm, gamma-squeeze, perp-cascade/,
    ],
    [['run', '--engine', 'gpu'], /^engine: "gpu" is not allowed; engine must be one of wasm, reference$/],
    [['run', '--format', 'xml'], /^format: "xml" is not allowed; format must be one of json, csv$/],
    [
      ['run', '--url', '?leverage=abc'],
      /^leverage: "abc" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]$/,
    ],
    [['run', '--url', '?bogus=1'], /^unknown parameter "bogus"/],
    [['run', 'leverage', '25'], /^unexpected argument "leverage"/],
    [['presets', '--all'], /^unexpected argument "--all" for "presets"/],
    [
      ['greeks', ...option.slice(2)],
      /^type: the flag --type is required; type \(Option type\) must be one of call, put$/,
    ],
    [
      ['greeks', ...option, '--spot', '0'],
      /^spot: "0" is not allowed; spot \(Spot price\) must be a number in \(0, 1e12\]$/,
    ],
    [
      ['greeks', ...option, '--time', '-1'],
      /^time: "-1" is not allowed; time \(Time to expiry\) must be a number in \[0, 100\]$/,
    ],
    [
      ['greeks', ...option, '--vol', 'high'],
      /^vol: "high" is not allowed; vol \(Volatility\) must be a number in \[0, 10\]$/,
    ],
    [
      ['greeks', ...option, '--rate', '5'],
      /^rate: "5" is not allowed; rate \(Interest rate\) must be a number in \[-1, 1\]$/,
    ],
    [
      ['greeks', ...option, '--type', 'straddle'],
      /^type: "straddle" is not allowed; type \(Option type\) must be one of call, put$/,
    ],
  ])('%j', async (argv, message) => {
    const { status, stdout, stderr, engines } = await cli(argv);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.replace(/^cascade-lab: /, '').trimEnd()).toMatch(message);
    expect(engines).toEqual([]);
  });
});

describe('greeks at the limits, with the WASM engine', () => {
  const run = (...flags: string[]) => cli(['greeks', ...flags], { greeks: nodeDeps.greeks });

  it('at vol 0 prints the discounted intrinsic value and its Greeks (call S=150 K=100 T=1 r=5%)', async () => {
    const { status, stdout } = await run(
      '--type',
      'call',
      '--spot',
      '150',
      '--strike',
      '100',
      '--time',
      '1',
      '--vol',
      '0',
      '--rate',
      '0.05',
    );
    expect(status).toBe(0);
    const g = JSON.parse(stdout);
    expect(g.price).toBeCloseTo(54.877, 3);
    expect(g.delta).toBe(1);
    expect(g.theta).toBeCloseTo(-4.756, 3);
    expect(g.rho).toBeCloseTo(95.12, 2);
    expect([g.gamma, g.vega]).toEqual([0, 0]);
  });

  it('at time 0 prints the intrinsic value, a put delta of −1 in the money', async () => {
    const { status, stdout } = await run(
      '--type',
      'put',
      '--spot',
      '90',
      '--strike',
      '100',
      '--time',
      '0',
      '--vol',
      '0.5',
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ price: 10, delta: -1, gamma: 0, vega: 0 });
  });

  it('exactly at the forward, where gamma has no limit, exits 2 with one line saying so', async () => {
    const { status, stdout, stderr } = await run(
      '--type',
      'call',
      '--spot',
      '100',
      '--strike',
      '100',
      '--time',
      '0',
      '--vol',
      '0.3',
    );
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^cascade-lab: vol: with vol × √time = 0 .* has no finite gamma; .*\n$/);
  });
});
