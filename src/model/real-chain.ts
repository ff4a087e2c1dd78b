/**
 * A real options market as an option grid: the Deribit BTC chain of 14 May 2020 (310 instruments,
 * 255 with open interest, seven expiries from hours to seven months), for presets that want a
 * real gamma profile in the browser and the CLI without reading a file. Built from
 * ../shared/data/deribit_btc_options_2020-05-14.csv by `src/model/data/build.ts`, through
 * the same importer a user's file goes through (src/model/chain-import.ts).
 */
import type { OptionSeriesSpec } from './option-grid.ts';
import chain from './data/deribit-btc-2020-05-14.json' with { type: 'json' };

export const REAL_CHAIN = {
  label: 'Deribit BTC options, 14 May 2020 05:44 UTC',
  /** Repository @ commit : path, as the shared data README gives it. */
  source: chain.source,
  description: chain.description,
  /** BTC index at the snapshot: strikes are stored as multiples of it. */
  spot: chain.spot,
  asOf: chain.asOf,
  /** Weight = open interest in BTC (contracts of 1 BTC). */
  grid: chain.grid.map(([isCall, moneyness, tenorDays, weight]): OptionSeriesSpec => ({
    isCall: isCall === 1,
    moneyness,
    tenorDays,
    weight,
  })) as readonly OptionSeriesSpec[],
} as const;
