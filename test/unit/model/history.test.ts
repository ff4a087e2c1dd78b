/**
 * Real price paths beside a run (src/model/history.ts): well-formed data that cites its source,
 * alignment of the crash's start with the shock at the run's start price, NaN outside the data,
 * and how far and fast each real crash fell.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/model/chain-import.ts';
import {
  HISTORY_IDS,
  HISTORY_PATHS,
  alignHistory,
  historyPath,
  historyStats,
  isHistoryId,
} from '../../../src/model/history.ts';
import { PRESETS } from '../../../src/model/presets.ts';

const SHARED = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)), '../shared/data');
const run = { ticks: 720, shockStart: 60, price0: 3000 };

describe('the paths', () => {
  it('are the nine of the shared data folder', () => {
    expect(HISTORY_IDS).toEqual([
      'btc-1m-2025-10-10',
      'btc-1m-2020-03-13',
      'btc-1m-2021-05-19',
      'btc-1h-2020-03',
      'eth-1h-2020-03',
      'btc-1h-2021-05',
      'eth-1h-2021-05',
      'sp500-1d-1987',
      'djia-1d-1987',
    ]);
  });

  it.each(HISTORY_IDS)('%s: ascending minutes, positive closes, the alignment close at minute 0, a source', (id) => {
    const p = HISTORY_PATHS[id];
    expect(p.id).toBe(id);
    expect(p.minutes).toHaveLength(p.close.length);
    for (let k = 1; k < p.minutes.length; k++) expect(p.minutes[k]).toBeGreaterThan(p.minutes[k - 1]);
    expect(p.close.every((c) => c > 0 && Number.isFinite(c))).toBe(true);
    expect(p.close[p.minutes.indexOf(0)]).toBe(p.alignment.close);
    expect(p.source).toMatch(/^\S+\/\S+ @ [0-9a-f]{8} : \S+/);
    expect(p.alignment.reason.length).toBeGreaterThan(40);
    const step = { '1m': 1, '1h': 60, '1d': 390 }[p.resolution];
    expect(p.minutes[1] - p.minutes[0]).toBe(step);
  });

  it('knows its ids', () => {
    expect(isHistoryId('sp500-1d-1987')).toBe(true);
    expect(isHistoryId('toString')).toBe(false);
    expect(() => historyPath('luna-2022')).toThrow(/^unknown price history "luna-2022"; known: btc-1m-2025-10-10, /);
  });

  it('every preset that names a path names a known one', () => {
    for (const preset of PRESETS)
      if (preset.history !== undefined) expect(isHistoryId(preset.history), preset.name).toBe(true);
  });
});

describe('alignHistory', () => {
  it('puts the alignment point at the shock, at the run\u2019s start price, and rescales the whole path by one factor', () => {
    const values = alignHistory('btc-1m-2025-10-10', run);
    expect(values).toHaveLength(run.ticks + 1);
    expect(values[run.shockStart]).toBe(3000);
    const p = HISTORY_PATHS['btc-1m-2025-10-10'];
    // 21:20 UTC, the close of the worst minute, is 15 minutes after the 21:05 alignment.
    expect(values[run.shockStart + 15]).toBeCloseTo((3000 * 103441.3) / 115006.9, 9);
    expect(values[run.shockStart + 15] / values[run.shockStart]).toBeCloseTo(
      p.close[p.minutes.indexOf(15)] / p.alignment.close,
      12,
    );
  });

  it('is NaN where the data has no price: before its first close and after its last', () => {
    const values = alignHistory('btc-1m-2025-10-10', run);
    // The window opens with the 20:45 bar, whose close is at 20:46: 19 minutes before 21:05.
    expect(values[run.shockStart - 19]).toBeCloseTo((3000 * 116975.9) / 115006.9, 9);
    expect(values[run.shockStart - 20]).toBeNaN();
    expect(Number.isNaN(values[0])).toBe(true);
    // Its last close (22:53 bar) is 109 minutes after the alignment.
    expect(values[run.shockStart + 109]).not.toBeNaN();
    expect(values[run.shockStart + 110]).toBeNaN();
    expect(values.slice(run.shockStart - 19, run.shockStart + 110).every(Number.isFinite)).toBe(true);
  });

  it('interpolates linearly in time between closes', () => {
    const p = HISTORY_PATHS['btc-1h-2021-05'];
    const values = alignHistory('btc-1h-2021-05', run);
    const k = p.minutes.indexOf(240);
    const expected = (3000 / p.alignment.close) * (p.close[k] + (p.close[k + 1] - p.close[k]) * (20 / 60));
    expect(values[run.shockStart + 260]).toBeCloseTo(expected, 9);
  });

  it('counts the 1987 paths in trading minutes: Monday 19 Oct closes one session (390 minutes) after Friday 16 Oct', () => {
    const sp = alignHistory('sp500-1d-1987', run);
    const dow = alignHistory('djia-1d-1987', run);
    expect(sp[run.shockStart + 390]).toBeCloseTo((3000 * 224.84) / 282.7, 9);
    expect(dow[run.shockStart + 390]).toBeCloseTo((3000 * 1738.74) / 2246.74, 9);
    expect(sp[run.shockStart + 195]).toBeCloseTo((3000 * (224.84 + 282.7)) / 2 / 282.7, 9);
    expect(sp.every(Number.isFinite)).toBe(true);
  });

  it('works for a shock at tick 0 and a run that ends before the shock', () => {
    expect(alignHistory('eth-1h-2020-03', { ...run, shockStart: 0 })[0]).toBe(3000);
    expect(alignHistory('eth-1h-2020-03', { ticks: 10, shockStart: 600, price0: 50 }).every(Number.isFinite)).toBe(
      true,
    );
  });
});

describe('historyStats: how far and how fast each crash fell', () => {
  // [id, alignment close, trough close, minutes to the trough]
  it.each([
    ['btc-1m-2025-10-10', 115006.9, 103441.3, 15],
    ['btc-1m-2020-03-13', 4561.65, 3706.96, 36],
    ['btc-1m-2021-05-19', 38085.09, 29887.95, 34],
    ['btc-1h-2020-03', 7934.52, 4130.64, 1560],
    ['eth-1h-2020-03', 194.61, 96.62, 1560],
    ['btc-1h-2021-05', 40465.04, 35234.62, 240],
    ['eth-1h-2021-05', 2978.31, 2365.18, 240],
    ['sp500-1d-1987', 282.7, 224.84, 390],
    ['djia-1d-1987', 2246.74, 1738.74, 390],
  ] as const)('%s: %d → %d in %d minutes', (id, peak, trough, minutes) => {
    expect(historyStats(id)).toEqual({ peak, trough, drawdown: 1 - trough / peak, minutesToTrough: minutes });
  });

  it('agrees with the figures the data README quotes for 19 Oct 1987 (S&P −20.47%, Dow −22.61%)', () => {
    expect(historyStats('sp500-1d-1987').drawdown).toBeCloseTo(0.2047, 4);
    expect(historyStats('djia-1d-1987').drawdown).toBeCloseTo(0.2261, 4);
  });

  it('looks only as far as a horizon when given one', () => {
    // Within the first day of Black Thursday (UTC), ETH closed the day at 107.82, as the data README says.
    expect(historyStats('eth-1h-2020-03', 1440)).toMatchObject({ trough: 107.82, minutesToTrough: 1440 });
    expect(historyStats('btc-1m-2025-10-10', 10).minutesToTrough).toBeLessThanOrEqual(10);
  });
});

const haveShared = existsSync(path.join(SHARED, 'README.md'));
describe.skipIf(!haveShared)(
  haveShared
    ? 'the shipped paths match ../shared/data'
    : `the shipped paths match ../shared/data — SKIPPED: ${SHARED} is missing`,
  () => {
    const readme = haveShared ? readFileSync(path.join(SHARED, 'README.md'), 'utf8') : '';
    it.each(HISTORY_IDS)(
      '%s: one close per row of its file, the same closes, its source verbatim from the README',
      (id) => {
        const p = HISTORY_PATHS[id];
        const [header, ...rows] = parseCsv(readFileSync(path.join(SHARED, p.file), 'utf8'));
        const column = header.fields.findIndex((name) => name.toLowerCase() === 'close');
        const closes = rows.map((r) => Number(r.fields[column]));
        expect(p.close).toHaveLength(closes.length);
        p.close.forEach((c, k) => expect(c).toBeCloseTo(closes[k], 2));
        expect(readme).toContain(p.source);
        expect(readme).toContain(`\`${p.file}\``);
      },
    );
  },
);
