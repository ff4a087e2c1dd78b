/**
 * The shipped "real market" grid (src/model/real-chain.ts) is the importer's reading of the
 * shared Deribit chain, unchanged since it was generated, and cites its source.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseChain } from '../../../src/model/chain-import.ts';
import { REAL_CHAIN } from '../../../src/model/real-chain.ts';

const SHARED = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)), '../shared/data');
const CSV = path.join(SHARED, 'deribit_btc_options_2020-05-14.csv');

describe('REAL_CHAIN', () => {
  it('holds the 255 held instruments of the 14 May 2020 chain, weighted by open interest (96,275.9 BTC)', () => {
    expect(REAL_CHAIN.grid).toHaveLength(255);
    expect(REAL_CHAIN.grid.reduce((sum, s) => sum + s.weight, 0)).toBeCloseTo(96275.9, 6);
    expect(REAL_CHAIN.spot).toBe(9348.52);
    expect(REAL_CHAIN.asOf).toBe('2020-05-14T05:44:06.537Z');
    expect(REAL_CHAIN.source).toBe('schepal/deribit_data_collector @ b221f2c4 : sample_data/btc_options_data.csv');
  });

  it.skipIf(!existsSync(CSV))(
    existsSync(CSV) ? 'equals a fresh import of the shared file' : `equals a fresh import — SKIPPED: ${CSV} is missing`,
    () => {
      const fresh = parseChain(readFileSync(CSV, 'utf8'));
      expect(REAL_CHAIN.grid).toEqual(fresh.grid);
      expect(REAL_CHAIN.spot).toBe(fresh.spot);
      expect(REAL_CHAIN.asOf).toBe(fresh.asOf);
      expect(readFileSync(path.join(SHARED, 'README.md'), 'utf8')).toContain(REAL_CHAIN.source);
    },
  );
});
