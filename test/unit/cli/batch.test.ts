/**
 * The batch commands (`ensemble`, `attribute`, `sweep`) as a user runs them: every run of an
 * ensemble or a sweep is the single run, number for number; bad flags exit 2 with one line.
 */
import { describe, expect, it } from 'vitest';
import { cascadeLab, cli } from './harness.ts';

/** A small market, so each run takes a few milliseconds. */
const SMALL = ['--ticks', '120', '--dealers', '200', '--accounts', '3000', '--shockStart', '20'];

/** The summary block of `run`'s JSON, as printed. */
async function runSummary(seed: number, extra: string[] = []): Promise<Record<string, number>> {
  const { stdout, status } = await cascadeLab('run', ...SMALL, ...extra, '--seed', String(seed));
  expect(status).toBe(0);
  return JSON.parse(stdout).summary;
}

describe('ensemble', () => {
  it('every run\u2019s summary is `run --seed K`\u2019s, digit for digit, and the statistics cover the runs', async () => {
    const { stdout, status } = await cascadeLab('ensemble', ...SMALL, '--seeds', '5-8', '--workers', '2');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.seeds).toEqual({ from: 5, to: 8 });
    expect(report.params.seed).toBeUndefined();
    expect(report.runs.map((r: { seed: number }) => r.seed)).toEqual([5, 6, 7, 8]);
    for (const { seed, summary } of report.runs) {
      const single = await runSummary(seed);
      expect(JSON.stringify(summary)).toBe(JSON.stringify(single));
    }
    const multipliers = report.runs.map(
      (r: { summary: { feedbackMultiplier: number } }) => r.summary.feedbackMultiplier,
    );
    expect(report.summary.feedbackMultiplier.mean).toBeCloseTo(
      multipliers.reduce((a: number, b: number) => a + b) / 4,
      12,
    );
    expect(report.bands.price.p50).toHaveLength(121);
    expect(report.bands.cfPrice.p95).toHaveLength(121);
    expect(report.cascade.drawdown).toBe(0.1);
  });

  it('as CSV: one row a run', async () => {
    const { stdout } = await cascadeLab('ensemble', ...SMALL, '--seeds', '1-3', '--format', 'csv', '--workers', '1');
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header.split(',').slice(0, 3)).toEqual(['seed', 'ticks', 'maxDrawdown']);
    expect(rows).toHaveLength(3);
    const single = await runSummary(2);
    expect(rows[1].split(',')).toEqual(['2', ...Object.values(single).map(String)]);
  });
});

describe('sweep', () => {
  it('one CSV row a run, each the single run\u2019s summary', async () => {
    const { stdout, status } = await cascadeLab(
      'sweep',
      ...SMALL,
      '--x',
      'leverage=5:20:2',
      '--y',
      'gex=-1:0:2',
      '--seeds',
      '3-4',
      '--workers',
      '2',
    );
    expect(status).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header.split(',').slice(0, 4)).toEqual(['leverage', 'gex', 'seed', 'ticks']);
    expect(rows.map((r) => r.split(',').slice(0, 3).join(','))).toEqual([
      '5,-1,3',
      '5,-1,4',
      '20,-1,3',
      '20,-1,4',
      '5,0,3',
      '5,0,4',
      '20,0,3',
      '20,0,4',
    ]);
    const single = await runSummary(4, ['--leverage', '20', '--gex', '0']);
    expect(rows[7].split(',').slice(3)).toEqual(Object.values(single).map(String));
  });
});

describe('attribute', () => {
  it('the parts sum to the drawdown', async () => {
    const { stdout, status } = await cascadeLab('attribute', ...SMALL, '--workers', '2');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    const parts = Object.values(report.contributions) as number[];
    expect(parts.reduce((a, b) => a + b, 0)).toBe(report.drawdown);
    expect(report.drawdown).toBe((await runSummary(7)).maxDrawdown);
    expect(report).toMatchObject({ method: 'exact', error: 0, loops: ['dealers', 'vega', 'perps', 'depth'], runs: 16 });
  });
});

describe('bad flags: one line naming the flag and what it must be, status 2', () => {
  it.each([
    [['ensemble'], /^cascade-lab: seeds: a value is missing; seeds must be A-B/],
    [['ensemble', '--seeds', '9-3'], /^cascade-lab: seeds: "9-3" is not allowed; seeds must be A-B: seeds A ≤ B/],
    [['ensemble', '--seeds', '0-20000'], /at most 10,000 of them/],
    [
      ['ensemble', '--seeds', '1-2', '--workers', '0'],
      /^cascade-lab: workers: "0" is not allowed; workers \(Worker threads\) must be an integer in \[1, 256\]/,
    ],
    [
      ['ensemble', '--seeds', '1-2', '--cascade', '2'],
      /cascade: "2" is not allowed; cascade \(Cascade drawdown\) must be a number in \[0, 1\]/,
    ],
    [
      ['ensemble', '--seeds', '1-2', '--leverage', '500'],
      /leverage: "500" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]/,
    ],
    [['attribute', '--method', 'guess'], /method: "guess" is not allowed; method must be one of auto, exact, sampled/],
    [
      ['attribute', '--permutations', '5'],
      /permutations: "5" is not allowed; permutations \(Sampled permutations\) must be an integer in \[4, 1000\], and even/,
    ],
    [['sweep', '--y', 'gex=-1:1:3', '--seeds', '1-1'], /^cascade-lab: x: a value is missing; x must be KEY=FROM:TO:N/],
    [
      ['sweep', '--x', 'leverage=1:500:3', '--y', 'gex=-1:1:3', '--seeds', '1-1'],
      /leverage: "500" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]/,
    ],
    [
      ['sweep', '--x', 'venue=1:2:3', '--y', 'gex=-1:1:3', '--seeds', '1-1'],
      /x: "venue" is not a parameter a sweep can vary/,
    ],
    [
      ['sweep', '--x', 'leverage=1:5:300', '--y', 'gex=-1:1:3', '--seeds', '1-1'],
      /N: "300" is not allowed; N \(Values on the axis\) must be an integer in \[1, 100\]/,
    ],
    [
      ['sweep', '--x', 'leverage=1:5:3', '--y', 'gex=-1:1:3', '--seeds', '1-1', '--queue', 'http://x'],
      /queue: "http:\/\/x" is not allowed; queue must be a Redis address/,
    ],
    [['worker'], /^cascade-lab: queue: a value is missing; queue must be a Redis address/],
    [
      ['worker', '--queue', 'redis://127.0.0.1:1', '--lock', '0'],
      /lock: "0" is not allowed; lock \(Lock seconds\) must be an integer in \[1, 3600\]/,
    ],
  ])('%j', async (argv, message) => {
    const h = await cli(argv);
    expect(h.status).toBe(2);
    expect(h.stdout).toBe('');
    expect(h.stderr).toMatch(message);
    expect(h.stderr.trim().split('\n')).toHaveLength(1);
  });
});
