/**
 * The options-chain importer (src/model/chain-import.ts): the generic CSV, Deribit's chain CSV
 * and Deribit's book-summary JSON become the same kind of option grid; bad files fail with the
 * line and column at fault; and an imported grid drives both engines to a different GEX than the
 * stylized default. Fixtures are small and hand-written (test/fixtures/chains/); the real chain
 * of ../shared/data is read when it is there.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ChainError,
  MAX_CHAIN_BYTES,
  chainTooLarge,
  csvRecords,
  parseChain,
  parseCsv,
  parseDeribitBookSummary,
  parseDeribitInstrument,
  parseIsoTime,
  type ChainImport,
} from '../../../src/model/chain-import.ts';
import type { Engine } from '../../../src/model/engine.ts';
import {
  MAX_OPTION_SERIES,
  defaultOptionGrid,
  toGridBlock,
  type OptionSeriesSpec,
} from '../../../src/model/option-grid.ts';
import { ReferenceEngine } from '../../../src/model/reference/engine.ts';
import { defaultParams, toEngineBlock } from '../../../src/model/schema.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { manyRowsCsv } from '../../support/big-chain.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(REPO_ROOT, 'test/fixtures/chains', name), 'utf8');
const REAL_CSV = path.resolve(REPO_ROOT, '../shared/data/deribit_btc_options_2020-05-14.csv');

const DAY = 86_400_000;
const totalWeight = (grid: readonly OptionSeriesSpec[]): number => grid.reduce((sum, s) => sum + s.weight, 0);
const expiries = (grid: readonly OptionSeriesSpec[]): number => new Set(grid.map((s) => s.tenorDays)).size;

/** The error a parse throws, so its message can be checked whole. */
function failure(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ChainError);
    return (error as Error).message;
  }
  throw new Error('expected the chain to be refused');
}

describe('generic CSV: type,strike,expiry,open_interest', () => {
  const chain = parseChain(fixture('small-chain.csv'), 'small-chain.csv');

  it('keeps each held, unexpired instrument: weight = open interest, moneyness = strike ÷ spot, tenor in days', () => {
    const snapshot = Date.parse('2024-03-01T12:00:00Z');
    const days = (iso: string): number => (Date.parse(iso) - snapshot) / DAY;
    expect(chain.source).toBe('csv');
    expect(chain.spot).toBe(3000);
    expect(chain.asOf).toBe('2024-03-01T12:00:00.000Z');
    // Sorted by tenor, puts before calls, then strike; the date-only expiry is 08:00 UTC.
    expect(chain.grid).toEqual([
      { isCall: false, moneyness: 2850 / 3000, tenorDays: days('2024-03-02T08:00:00Z'), weight: 300 },
      { isCall: false, moneyness: 1, tenorDays: days('2024-03-08T08:00:00Z'), weight: 1200 },
      { isCall: true, moneyness: 1, tenorDays: days('2024-03-08T08:00:00Z'), weight: 800.5 },
      { isCall: false, moneyness: 2700 / 3000, tenorDays: days('2024-03-29T08:00:00Z'), weight: 2500 },
      { isCall: true, moneyness: 3300 / 3000, tenorDays: days('2024-03-29T08:00:00Z'), weight: 1500 },
    ]);
    expect(chain.instruments).toBe(5);
  });

  it('counts and explains what it leaves out', () => {
    expect(chain.rows).toBe(7);
    expect(chain.dropped).toEqual({ zeroOpenInterest: 1, expired: 1, overCapacity: 0, notOptions: 0 });
    expect(chain.notes).toEqual([
      '1 of 7 instruments have no open interest and were left out',
      '1 instruments expired at or before the snapshot and were left out',
      'expiry dates without a time were taken as 8:00 UTC',
    ]);
  });

  it('total weight equals the open interest kept', () => {
    expect(totalWeight(chain.grid)).toBe(300 + 1200 + 800.5 + 2500 + 1500);
  });

  it('gives the same grid whatever the order of rows and columns', () => {
    const [header, ...rows] = fixture('small-chain.csv').trim().split('\n');
    const shuffled = [header, ...rows.reverse()].join('\n');
    expect(parseChain(shuffled).grid).toEqual(chain.grid);
    const reordered =
      'open interest,EXPIRY,strike,spot,as_of,option type\n1,2024-03-08T08:00Z,3000,3000,2024-03-01T12:00Z,Put\n';
    expect(parseChain(reordered).grid).toEqual([
      {
        isCall: false,
        moneyness: 1,
        tenorDays: (Date.parse('2024-03-08T08:00Z') - Date.parse('2024-03-01T12:00Z')) / DAY,
        weight: 1,
      },
    ]);
  });

  it('takes expiries as days or ms since the epoch, and spot and snapshot time from the caller when the file has none', () => {
    const days = parseChain('type,strike,expiry,open_interest\ncall,110,7,5\nput,90,0.5,10\nput,80,0,3\n', undefined, {
      spot: 100,
    });
    expect(days.grid).toEqual([
      { isCall: false, moneyness: 0.9, tenorDays: 0.5, weight: 10 },
      { isCall: true, moneyness: 1.1, tenorDays: 7, weight: 5 },
    ]);
    expect(days.dropped.expired).toBe(1);
    expect(days.asOf).toBeNull();
    const dated = parseChain(
      'type,strike,expiry,open_interest\nc,110,2024-01-08,5\np,90,1704787200000,5\n',
      undefined,
      { spot: 100, asOf: '2024-01-01T08:00:00Z' },
    );
    expect(dated.grid).toEqual([
      { isCall: true, moneyness: 1.1, tenorDays: 7, weight: 5 },
      { isCall: false, moneyness: 0.9, tenorDays: 8, weight: 5 },
    ]);
    expect(dated.asOf).toBe('2024-01-01T08:00:00.000Z');
  });

  it('reads ISO times with offsets as the instant they name, and times without one as UTC', () => {
    expect(parseIsoTime('2024-03-08T10:00:00+02:00').ms).toBe(Date.parse('2024-03-08T08:00:00Z'));
    expect(parseIsoTime('2024-03-08 08:00').ms).toBe(Date.parse('2024-03-08T08:00:00Z'));
    expect(parseIsoTime('2024-03-08')).toEqual({ ms: Date.parse('2024-03-08T08:00:00Z'), dateOnly: true });
    expect(parseIsoTime('2024-02-30').ms).toBeNaN();
    expect(parseIsoTime('tomorrow').ms).toBeNaN();
  });

  it('keeps the largest open interest when the chain holds more than MAX_OPTION_SERIES instruments', () => {
    const n = MAX_OPTION_SERIES + 4;
    const rows = Array.from({ length: n }, (_, i) => `put,${1000 + i},30,${i + 1}`);
    const chain = parseChain(['type,strike,expiry,open_interest', ...rows].join('\n'), 'big.csv', { spot: 2000 });
    expect(chain.grid).toHaveLength(MAX_OPTION_SERIES);
    expect(chain.dropped.overCapacity).toBe(4);
    expect(Math.min(...chain.grid.map((s) => s.weight))).toBe(5);
    expect(chain.notes.at(-1)).toMatch(/^4 instruments with the smallest open interest were left out/);
  });
});

describe('bad files: one message naming the line and the column', () => {
  const HEAD = 'type,strike,expiry,open_interest,spot,as_of';
  const row = (cells: string): string => `${HEAD}\ncall,100,2024-02-01,5,100,2024-01-01T00:00Z\n${cells}\n`;
  it.each([
    [
      'a bad type',
      row('straddle,100,2024-02-01,5,100,2024-01-01T00:00Z'),
      'chain.csv: line 3, column type: "straddle" is not call, put, C or P',
    ],
    [
      'a bad strike',
      row('put,abc,2024-02-01,5,100,2024-01-01T00:00Z'),
      'chain.csv: line 3, column strike: "abc" is not a positive number',
    ],
    [
      'a zero strike',
      row('put,0,2024-02-01,5,100,2024-01-01T00:00Z'),
      'chain.csv: line 3, column strike: "0" is not a positive number',
    ],
    [
      'a negative open interest',
      row('put,90,2024-02-01,-5,100,2024-01-01T00:00Z'),
      'chain.csv: line 3, column open_interest: "-5" is not a number ≥ 0',
    ],
    [
      'a missing open interest',
      row('put,90,2024-02-01,,100,2024-01-01T00:00Z'),
      'chain.csv: line 3, column open_interest: "" is not a number ≥ 0',
    ],
    [
      'a bad expiry',
      row('put,90,next friday,5,100,2024-01-01T00:00Z'),
      'chain.csv: line 3, column expiry: "next friday" is not an ISO date or date-time, a number of days up to 3650, or ms since the epoch',
    ],
    [
      'an expiry in seconds',
      row('put,90,1706774400,5,100,2024-01-01T00:00Z'),
      'chain.csv: line 3, column expiry: "1706774400" is not an ISO date or date-time, a number of days up to 3650, or ms since the epoch',
    ],
    [
      'a bad spot',
      row('put,90,2024-02-01,5,-1,2024-01-01T00:00Z'),
      'chain.csv: line 3, column spot: "-1" is not a positive price',
    ],
    [
      'a bad snapshot time',
      row('put,90,2024-02-01,5,100,yesterday'),
      'chain.csv: line 3, column as_of: "yesterday" is not an ISO date-time or a time since the epoch',
    ],
    ['a short row', row('put,90,2024-02-01'), 'chain.csv: line 3: 3 fields, the header has 6'],
    [
      'an unclosed quote',
      row('put,90,"2024-02-01,5,100,2024-01-01T00:00Z'),
      'chain.csv: line 3: a quoted field is never closed',
    ],
    [
      'a header without open interest',
      'type,strike,expiry\ncall,1,1\n',
      'chain.csv: line 1: the header has no open_interest column; a chain CSV needs type,strike,expiry,open_interest (found: type,strike,expiry)',
    ],
    ['a header only', `${HEAD}\n`, 'chain.csv: the file has a header but no instruments'],
    ['an empty file', ' \n', 'chain.csv: the file is empty'],
    [
      'no spot anywhere',
      'type,strike,expiry,open_interest\ncall,1,1,1\n',
      'chain.csv: the spot price is unknown: add a spot (or index_price, underlying_price) column, or pass the spot',
    ],
    [
      'a dated expiry without a snapshot time',
      'type,strike,expiry,open_interest,spot\ncall,1,2024-01-01,1,1\n',
      'chain.csv: line 2: the expiry is a date but the snapshot time is unknown: add an as_of (or timestamp) column, give expiries as days, or pass the snapshot time',
    ],
    [
      'nothing left',
      'type,strike,expiry,open_interest,spot\ncall,1,1,0,1\nput,1,-2,4,1\n',
      'chain.csv: no instrument is left: of 2, 1 expired at or before the snapshot and 1 have no open interest',
    ],
    ['broken JSON', '{"result": [', 'chain.csv: not valid JSON'],
  ])('%s', (_, text, message) => {
    expect(failure(() => parseChain(text, 'chain.csv'))).toContain(message);
  });
});

describe('Deribit chain CSV (the format of ../shared/data/deribit_btc_options_2020-05-14.csv)', () => {
  const chain = parseChain(fixture('deribit-chain-sample.csv'), 'deribit-chain-sample.csv');

  it('is told by its header and read from its own columns, quoted dicts and books included', () => {
    expect(chain.source).toBe('deribit-csv');
    // Spot: the median index price over rows; snapshot: the latest row time.
    expect(chain.spot).toBe(9347.83);
    expect(chain.asOf).toBe(new Date(1589435042220).toISOString());
    const tenor = (expiryMs: number): number => (expiryMs - 1589435042220) / DAY;
    expect(chain.grid).toEqual([
      { isCall: false, moneyness: 9000 / 9347.83, tenorDays: tenor(1589529600000), weight: 350.5 },
      { isCall: true, moneyness: 9500 / 9347.83, tenorDays: tenor(1589529600000), weight: 1202.8 },
      { isCall: false, moneyness: 9000 / 9347.83, tenorDays: tenor(1590739200000), weight: 662.4 },
      { isCall: true, moneyness: 10000 / 9347.83, tenorDays: tenor(1593158400000), weight: 1944.9 },
    ]);
    expect(chain.dropped.zeroOpenInterest).toBe(1);
  });

  it('names the instrument when a row is bad', () => {
    const text = fixture('deribit-chain-sample.csv').replace(',open,0.0,350.5,', ',open,0.0,lots,');
    expect(failure(() => parseChain(text, 'd.csv'))).toBe(
      'd.csv: line 3 (BTC-15MAY20-9000-P), column open_interest: "lots" is not a number ≥ 0',
    );
  });

  it('parses a quoted field holding commas, quotes and line breaks', () => {
    expect(parseCsv('a,b\n"x, ""y""\nz",2\r\n\n3,4')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"\nz', '2'] },
      { line: 5, fields: ['3', '4'] },
    ]);
  });
});

describe('Deribit book summary JSON (public/get_book_summary_by_currency, kind=option)', () => {
  const text = fixture('deribit-book-summary-btc-option.json');
  const chain = parseChain(text, 'summary.json');

  it('reads strike, expiry (08:00 UTC) and type from instrument_name, spot from estimated_delivery_price', () => {
    expect(chain.source).toBe('deribit-json');
    expect(chain.spot).toBe(9348.52);
    expect(chain.asOf).toBe(new Date(1589435046537).toISOString());
    expect(chain.rows).toBe(7);
    expect(chain.instruments).toBe(6);
    expect(chain.dropped.zeroOpenInterest).toBe(1);
    expect(expiries(chain.grid)).toBe(5);
    expect(totalWeight(chain.grid)).toBeCloseTo(1202.8 + 350.5 + 139.3 + 662.4 + 1944.9 + 204, 9);
    const may29put = chain.grid.find((s) => !s.isCall && s.moneyness === 9000 / 9348.52 && s.tenorDays > 14)!;
    expect(may29put.tenorDays).toBe((Date.parse('2020-05-29T08:00:00Z') - 1589435046537) / DAY);
    expect(may29put.weight).toBe(662.4);
  });

  it('accepts the bare result array as well as the whole response', () => {
    const { result } = JSON.parse(text);
    expect(parseChain(JSON.stringify(result))).toEqual({ ...chain });
    expect(parseDeribitBookSummary(result)).toEqual(chain);
  });

  it('falls back to underlying_price for the spot, and to the caller for the time', () => {
    const bare = [{ instrument_name: 'ETH-27JUN25-3000-C', open_interest: 10, underlying_price: 2500 }];
    const eth = parseDeribitBookSummary(bare, { asOf: Date.parse('2025-06-20T08:00:00Z') });
    expect(eth.grid).toEqual([{ isCall: true, moneyness: 1.2, tenorDays: 7, weight: 10 }]);
  });

  it('leaves out futures, and options that expired before the snapshot', () => {
    const t = Date.parse('2020-05-15T09:00:00Z');
    const result = [
      { instrument_name: 'BTC-PERPETUAL', open_interest: 5e8, estimated_delivery_price: 9000, creation_timestamp: t },
      { instrument_name: 'BTC-26JUN20', open_interest: 1e8, estimated_delivery_price: 9000, creation_timestamp: t },
      {
        instrument_name: 'BTC-15MAY20-9000-C',
        open_interest: 100,
        estimated_delivery_price: 9000,
        creation_timestamp: t,
      },
      {
        instrument_name: 'BTC-16MAY20-9000-C',
        open_interest: 100,
        estimated_delivery_price: 9000,
        creation_timestamp: t,
      },
    ];
    const chain = parseDeribitBookSummary({ result });
    expect(chain.grid).toEqual([{ isCall: true, moneyness: 1, tenorDays: 23 / 24, weight: 100 }]);
    expect(chain.dropped).toEqual({ zeroOpenInterest: 0, expired: 1, overCapacity: 0, notOptions: 2 });
    expect(chain.notes).toContain('2 instruments are not options and were left out');
  });

  it.each([
    [{ error: { message: 'Invalid params', code: -32602 } }, 'the response is a Deribit error: Invalid params'],
    [{ result: 'nope' }, 'expected Deribit book summary JSON'],
    [{ result: [] }, 'the book summary lists no instruments'],
    [[{ open_interest: 1 }], 'result[0]: instrument_name is missing'],
    [
      [{ instrument_name: 'BTC-31JUN20-9000-C', open_interest: 1 }],
      'result[0] (BTC-31JUN20-9000-C), instrument_name: "BTC-31JUN20-9000-C" is not a Deribit option name like BTC-29MAY20-9000-P',
    ],
    [
      [{ instrument_name: 'BTC-26JUN20-9000-C', open_interest: '12' }],
      'result[0] (BTC-26JUN20-9000-C), open_interest: "12" is not a number ≥ 0',
    ],
    [
      [{ instrument_name: 'BTC-26JUN20-9000-C', open_interest: 1, estimated_delivery_price: 0 }],
      'result[0] (BTC-26JUN20-9000-C), estimated_delivery_price: 0 is not a positive price',
    ],
    [
      [{ instrument_name: 'BTC-PERPETUAL', open_interest: 1 }],
      'none of the 1 instruments is an option (ask for kind=option)',
    ],
  ])('refuses %j', (json, message) => {
    expect(failure(() => parseDeribitBookSummary(json))).toContain(message);
  });

  it('parses instrument names, linear options with a d for the decimal point included', () => {
    expect(parseDeribitInstrument('BTC-5AUG16-580-P')).toEqual({
      currency: 'BTC',
      expiryMs: Date.parse('2016-08-05T08:00:00Z'),
      strike: 580,
      isCall: false,
    });
    expect(parseDeribitInstrument('XRP_USDC-30JUN23-0d625-C')).toEqual({
      currency: 'XRP_USDC',
      expiryMs: Date.parse('2023-06-30T08:00:00Z'),
      strike: 0.625,
      isCall: true,
    });
  });
});

const haveRealChain = existsSync(REAL_CSV);
describe.skipIf(!haveRealChain)(
  haveRealChain
    ? 'the real Deribit BTC chain of 14 May 2020 (../shared/data)'
    : `the real Deribit BTC chain — SKIPPED: ${REAL_CSV} is missing (it lives in the shared data folder next to the repo)`,
  () => {
    let chain: ChainImport;
    let rows: string[][];
    beforeAll(() => {
      const text = readFileSync(REAL_CSV, 'utf8');
      chain = parseChain(text, path.basename(REAL_CSV));
      rows = parseCsv(text).map((r) => r.fields);
    });

    it('keeps the 255 of 310 instruments with open interest, over 7 expiries, spot = the BTC index', () => {
      expect(chain.source).toBe('deribit-csv');
      expect(chain.rows).toBe(310);
      expect(chain.instruments).toBe(255);
      expect(chain.dropped).toEqual({ zeroOpenInterest: 55, expired: 0, overCapacity: 0, notOptions: 0 });
      expect(expiries(chain.grid)).toBe(7);
      expect(chain.spot).toBe(9348.52);
      expect(chain.asOf).toBe('2020-05-14T05:44:06.537Z');
    });

    it('total weight equals the total open interest of the file', () => {
      const oi = rows[0].indexOf('open_interest');
      const fileTotal = rows.slice(1).reduce((sum, r) => sum + Number(r[oi]), 0);
      expect(totalWeight(chain.grid)).toBeCloseTo(fileTotal, 6);
      expect(fileTotal).toBeCloseTo(96275.9, 6);
    });

    it('measures tenors from the snapshot to 08:00 UTC: the nearest expiry (14 May) 2 h 16 min out, the farthest (25 Dec) 225 days', () => {
      const tenors = chain.grid.map((s) => s.tenorDays);
      const snapshot = Date.parse('2020-05-14T05:44:06.537Z');
      expect(Math.min(...tenors)).toBe((Date.parse('2020-05-14T08:00:00Z') - snapshot) / DAY);
      expect(Math.max(...tenors)).toBe((Date.parse('2020-12-25T08:00:00Z') - snapshot) / DAY);
    });
  },
);

describe('an imported grid drives both engines', () => {
  const params = { ...defaultParams(), ticks: 120, dealers: 200, accounts: 2000 };
  const imported = toGridBlock(parseChain(fixture('deribit-book-summary-btc-option.json')).grid);
  const gex = (engine: Engine, grid?: Float64Array): Float64Array => {
    engine.init(toEngineBlock(params), grid);
    engine.step(params.ticks);
    return engine.column('gex').slice();
  };
  const makers: [string, () => Promise<Engine>][] = [
    ['reference', async () => new ReferenceEngine()],
    ['wasm (debug build)', async () => new WasmEngine(await loadEngineNode('debug'))],
  ];

  it.each(makers)('%s: a finite GEX series that differs from the default grid\u2019s', async (_, make) => {
    const engine = await make();
    const real = gex(engine, imported);
    const stylized = gex(engine, toGridBlock(defaultOptionGrid()));
    expect(real.every(Number.isFinite)).toBe(true);
    expect(real[0]).not.toBe(0);
    expect(real[0]).not.toBeCloseTo(stylized[0], 0);
    expect(Array.from(real)).not.toEqual(Array.from(stylized));
  });
});

describe('large files: one linear pass, no spread of large arrays, a size limit', () => {
  it('reads 300,000 rows each with its own timestamp (Math.max(...times) overflowed the stack at 123k)', () => {
    const chain = parseChain(manyRowsCsv(300_000), 'many.csv');
    expect(chain.rows).toBe(300_000);
    expect(chain.instruments).toBe(MAX_OPTION_SERIES);
    expect(chain.asOf).toBe(new Date(1709294400000 + 299_999).toISOString());
  });

  it('parses 50 MB of a Deribit export in under 500 MB of memory, the process measured on its own', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'test/support/chain-memory.ts', '50'],
      { cwd: REPO_ROOT, maxBuffer: 1 << 20 },
    );
    const read = JSON.parse(stdout);
    expect(read.bytes).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    expect(read.rows).toBeGreaterThan(100_000);
    expect(read.instruments).toBeGreaterThan(0);
    // The text itself is 50 MB and Node starts at about 50 MB; the parse keeps one small row a line.
    expect(read.peakRssMB).toBeLessThan(500);
  }, 120_000);

  it('names the size limit for a file over it', () => {
    expect(chainTooLarge('big.csv', 200 * 1024 * 1024)).toBe(
      `"big.csv" is 200.0 MB, more than a chain file may be (${MAX_CHAIN_BYTES / 1024 / 1024} MB); an options chain is a few thousand rows: keep one snapshot per file`,
    );
  });

  it('reads a record at a time, quoted fields with commas, quotes and line breaks intact', () => {
    const text = 'a,b\r\n"x, ""y""\nz",2\n\n3,"4"';
    expect([...csvRecords(text)]).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"\nz', '2'] },
      { line: 5, fields: ['3', '4'] },
    ]);
    expect(parseCsv(text)).toEqual([...csvRecords(text)]);
  });
});
