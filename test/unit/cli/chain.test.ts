/**
 * `cascade-lab run --chain FILE` (a real options chain shapes the dealers' books) and the price
 * history a preset names, printed beside the run. In-process with the fake engine (./harness.ts),
 * plus the real program on the hand-written fixtures.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { parseChain } from '../../../src/model/chain-import.ts';
import { HISTORY_PATHS, alignHistory, historyStats } from '../../../src/model/history.ts';
import { toGridBlock } from '../../../src/model/option-grid.ts';
import { defaultParams } from '../../../src/model/schema.ts';
import { SERIES_KEYS } from '../../../src/model/series.ts';
import { cascadeLab, cli } from './harness.ts';

/** Two presets for these tests only: one that names a price history, one that does not. */
vi.mock('../../../src/model/presets.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/model/presets.ts')>();
  return {
    ...original,
    PRESETS: [
      ...original.PRESETS,
      {
        name: 'test-oct2025',
        title: 'test',
        story: 'test',
        params: { shockStart: 30, ticks: 200 },
        history: 'btc-1m-2025-10-10',
      },
      { name: 'test-plain', title: 'test', story: 'test', params: { ticks: 20 } },
    ],
  };
});

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = 'test/fixtures/chains';
const fixture = (name: string): string => readFileSync(`${ROOT}${FIXTURES}/${name}`, 'utf8');
const CSV = fixture('small-chain.csv');
const JSON_SUMMARY = fixture('deribit-book-summary-btc-option.json');

/** The one line of a bad-input failure, without the program's prefix. */
function badInput(h: { status: number; stdout: string; stderr: string; engines: unknown[] }): string {
  expect(h.status).toBe(2);
  expect(h.stdout).toBe('');
  expect(h.engines).toEqual([]);
  expect(h.stderr.trimEnd().split('\n')).toHaveLength(1);
  return h.stderr.replace(/^cascade-lab: /, '').trimEnd();
}

describe('run --chain FILE', () => {
  it('hands the engine the chain as its option grid and says what it read', async () => {
    const h = await cli(['run', '--chain', 'chain.csv', '--ticks', '10'], { files: { 'chain.csv': CSV } });
    expect(h.status).toBe(0);
    expect(h.stderr).toBe('');
    const imported = parseChain(CSV, 'chain.csv');
    expect(h.engines[0].grid).toEqual(toGridBlock(imported.grid));
    const report = JSON.parse(h.stdout);
    expect(Object.keys(report)).toEqual(['params', 'chain', 'summary', 'series']);
    expect(report.chain).toEqual({
      file: 'chain.csv',
      source: 'csv',
      spot: 3000,
      asOf: '2024-03-01T12:00:00.000Z',
      instruments: 5,
      rows: 7,
      dropped: { zeroOpenInterest: 1, expired: 1, overCapacity: 0, notOptions: 0 },
      notes: imported.notes,
    });
    expect(Object.keys(report.series)).toEqual(SERIES_KEYS);
  });

  it('reads Deribit\u2019s book-summary JSON', async () => {
    const h = await cli(['run', '--chain=summary.json', '--ticks', '10'], { files: { 'summary.json': JSON_SUMMARY } });
    expect(h.status).toBe(0);
    expect(JSON.parse(h.stdout).chain).toMatchObject({ source: 'deribit-json', spot: 9348.52, instruments: 6 });
    expect(h.engines[0].grid).toEqual(toGridBlock(parseChain(JSON_SUMMARY).grid));
  });

  it('leaves the default grid in place without it', async () => {
    const h = await cli(['run', '--ticks', '10']);
    expect(h.engines[0].grid).toBeUndefined();
  });

  it('refuses a file it cannot read, in one line naming chain', async () => {
    const line = badInput(await cli(['run', '--chain', 'nope.csv']));
    expect(line).toBe(`chain: cannot read "nope.csv": ENOENT: no such file or directory, stat 'nope.csv'`);
  });

  it('refuses a file over the size limit before reading it, in one line naming the limit', async () => {
    let read = false;
    const h = await cli(['run', '--chain', 'huge.csv'], {
      files: { 'huge.csv': CSV },
      fileSize: async () => 200 * 1024 * 1024,
      readFile: async () => {
        read = true;
        return CSV;
      },
    });
    expect(badInput(h)).toBe(
      'chain: "huge.csv" is 200.0 MB, more than a chain file may be (64 MB); an options chain is a few thousand rows: keep one snapshot per file',
    );
    expect(read).toBe(false);
  });

  it.each([
    [
      'a bad cell',
      CSV.replace('put,2700,', 'put,abc,'),
      'chain: bad.csv: line 3, column Strike: "abc" is not a positive number',
    ],
    [
      'a file that is no chain',
      'date,close\n2024-01-01,3000\n',
      'chain: bad.csv: line 1: the header has no type (call/put) column; a chain CSV needs type,strike,expiry,open_interest (found: date,close)',
    ],
    [
      'a Deribit error',
      '{"jsonrpc":"2.0","error":{"message":"bad_request","code":11050}}',
      'chain: bad.csv: the response is a Deribit error: bad_request',
    ],
    ['an empty file', '', 'chain: bad.csv: the file is empty'],
  ])('refuses %s, in one line naming chain, the file, the line and the column', async (_, text, message) => {
    expect(badInput(await cli(['run', '--chain', 'bad.csv'], { files: { 'bad.csv': text } }))).toBe(message);
  });

  it('is listed in the help', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toMatch(/^\s+--chain FILE\s+\S/m);
    expect(stdout).toContain('[--chain FILE]');
  });
});

describe('a preset that names a price history', () => {
  const path = HISTORY_PATHS['btc-1m-2025-10-10'];

  it('prints the preset, the path\u2019s metadata, and a history series aligned at the shock (null where there is no data)', async () => {
    const h = await cli(['run', '--preset', 'test-oct2025']);
    expect(h.status).toBe(0);
    const report = JSON.parse(h.stdout);
    expect(Object.keys(report)).toEqual(['params', 'preset', 'history', 'summary', 'series']);
    expect(report.preset).toBe('test-oct2025');
    expect(report.history).toEqual({
      id: 'btc-1m-2025-10-10',
      label: path.label,
      source: path.source,
      alignment: { time: '2025-10-10T21:05:00Z', close: 115006.9, tick: 30 },
      crash: historyStats('btc-1m-2025-10-10'),
    });
    expect(Object.keys(report.series)).toEqual([...SERIES_KEYS, 'history']);
    const history: (number | null)[] = report.series.history;
    expect(history).toHaveLength(201);
    expect(history[30]).toBe(3000);
    // Data from 20:46 (19 minutes before the alignment) to 22:54 (109 after): null outside.
    expect(history.slice(0, 11)).toEqual(Array(11).fill(null));
    expect(history.slice(11, 140).every((v) => typeof v === 'number')).toBe(true);
    expect(history.slice(140)).toEqual(Array(61).fill(null));
    const expected = alignHistory('btc-1m-2025-10-10', { ...defaultParams(), shockStart: 30, ticks: 200 });
    expect(history.map((v) => v ?? NaN)).toEqual(Array.from(expected));
  });

  it('follows the run\u2019s own shock start and start price', async () => {
    const report = JSON.parse(
      (await cli(['run', '--preset', 'test-oct2025', '--shockStart', '100', '--price0', '50000'])).stdout,
    );
    expect(report.history.alignment.tick).toBe(100);
    expect(report.series.history[100]).toBe(50000);
    expect(report.series.history[115]).toBeCloseTo((50000 * 103441.3) / 115006.9, 9);
  });

  it('adds a history column to the CSV, empty where there is no data', async () => {
    const h = await cli(['run', '--preset', 'test-oct2025', '--format', 'csv']);
    const rows = h.stdout
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('# '));
    expect(rows[0].split(',').map((h) => h.split(' (')[0])).toEqual(['tick', ...SERIES_KEYS, 'history']);
    expect(rows[1].endsWith(',')).toBe(true);
    expect(rows[31].split(',')).toHaveLength(SERIES_KEYS.length + 2);
    expect(rows[31].endsWith(',3000')).toBe(true);
    expect(rows.at(-1)!.endsWith(',')).toBe(true);
  });

  it('prints only the preset for a preset without one', async () => {
    const report = JSON.parse((await cli(['run', '--preset', 'test-plain'])).stdout);
    expect(Object.keys(report)).toEqual(['params', 'preset', 'summary', 'series']);
    expect(Object.keys(report.series)).toEqual(SERIES_KEYS);
  });
});

describe('bin/cascade-lab.js run --chain', () => {
  const SMALL = ['--ticks', '30', '--accounts', '1000', '--dealers', '100'];

  it('runs the WASM engine on a Deribit book summary read from disk', async () => {
    const { status, stdout, stderr } = await cascadeLab(
      'run',
      '--chain',
      `${FIXTURES}/deribit-book-summary-btc-option.json`,
      ...SMALL,
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.chain).toMatchObject({
      file: `${FIXTURES}/deribit-book-summary-btc-option.json`,
      source: 'deribit-json',
      instruments: 6,
    });
    expect(report.series.gex.every(Number.isFinite)).toBe(true);
  });

  it('exits 2 with one line when the file is missing', async () => {
    const { status, stdout, stderr } = await cascadeLab('run', '--chain', 'no/such/chain.csv', ...SMALL);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^cascade-lab: chain: cannot read "no\/such\/chain.csv": ENOENT[^\n]*\n$/);
  });
});
