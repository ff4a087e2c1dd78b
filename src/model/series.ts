/**
 * The per-tick series a run records, as columns. Both engines write exactly these columns in
 * this order (index `t` = state after tick t; index 0 = the start), and `assembly/layout.ts`
 * mirrors the order. Everything the page, the CLI and the summary show is derived from them.
 * Every value is finite except in a column marked `gaps`, which holds NaN where it has no value.
 */
export const SERIES = [
  { key: 'price', label: 'Price', unit: 'USD' },
  { key: 'cfPrice', label: 'Counterfactual price (no feedback)', unit: 'USD' },
  { key: 'oracle', label: 'Oracle price', unit: 'USD' },
  { key: 'poolPrice', label: 'DEX pool price', unit: 'USD' },
  { key: 'fairValue', label: 'Fair value', unit: 'USD' },
  { key: 'realizedVol', label: 'Realized volatility', unit: '/yr' },
  { key: 'impliedVol', label: 'Implied volatility', unit: '/yr' },
  { key: 'cfRealizedVol', label: 'Counterfactual realized volatility', unit: '/yr' },
  { key: 'gex', label: 'Dealer GEX per 1% move', unit: 'USD' },
  { key: 'dealerVega', label: 'Dealer vega per vol point', unit: 'USD' },
  { key: 'optionDemand', label: 'Option buy-backs (vega per vol point)', unit: 'USD' },
  { key: 'dealerFlow', label: 'Dealer hedge flow', unit: 'USD' },
  { key: 'ammFlow', label: 'Options AMM hedge flow', unit: 'USD' },
  { key: 'shockFlow', label: 'Scripted shock flow', unit: 'USD' },
  { key: 'valueFlow', label: 'Value-trader flow', unit: 'USD' },
  { key: 'arbFlow', label: 'Pool arbitrage flow', unit: 'USD' },
  { key: 'cppiFlow', label: 'Portfolio-insurer flow', unit: 'USD' },
  { key: 'redemptionFlow', label: 'Stablecoin redemption sales', unit: 'USD' },
  { key: 'liqLong', label: 'Longs liquidated', unit: 'USD' },
  { key: 'liqShort', label: 'Shorts liquidated', unit: 'USD' },
  { key: 'liqLending', label: 'Lending collateral liquidated', unit: 'USD' },
  { key: 'liqAccounts', label: 'Accounts liquidated', unit: 'accounts' },
  { key: 'liqQueue', label: 'Liquidation queue', unit: 'USD' },
  { key: 'deleverage', label: 'Margin-call deleveraging', unit: 'USD' },
  { key: 'adlVolume', label: 'Auto-deleveraged', unit: 'USD' },
  { key: 'badDebt', label: 'Perp bad debt (socialized)', unit: 'USD' },
  { key: 'lendingBadDebt', label: 'Lending bad debt', unit: 'USD' },
  { key: 'liqMargin', label: 'Margin of liquidated positions', unit: 'USD' },
  { key: 'liqCounterparty', label: 'Paid to counterparties', unit: 'USD' },
  { key: 'liqBonus', label: 'Liquidator bonus', unit: 'USD' },
  { key: 'liqReturned', label: 'Margin returned to traders', unit: 'USD' },
  { key: 'fundIn', label: 'Paid into the insurance fund', unit: 'USD' },
  { key: 'fundPaid', label: 'Paid by the insurance fund', unit: 'USD' },
  { key: 'insuranceFund', label: 'Insurance fund', unit: 'USD' },
  { key: 'maintMargin', label: 'Maintenance margin', unit: '' },
  { key: 'halted', label: 'Trading halted', unit: '' },
  { key: 'pegPrice', label: 'Stablecoin price', unit: 'USD' },
  { key: 'stableSupply', label: 'Stablecoin supply', unit: 'USD' },
  { key: 'tokenSupply', label: 'Governance-token supply', unit: 'tokens' },
  { key: 'depth', label: 'Market depth (share of normal)', unit: '' },
  { key: 'gammaFlip', label: 'Gamma flip nearest spot', unit: 'USD', gaps: true },
  { key: 'marginPosted', label: 'Collateral posted on margin calls', unit: 'USD' },
] as const;

export type SeriesKey = (typeof SERIES)[number]['key'];

/** Columns that have no value on some ticks (NaN there): the gamma flip, where none lies within ±30% of spot. */
export const GAPPED_SERIES: ReadonlySet<SeriesKey> = new Set(
  SERIES.filter((s) => 'gaps' in s && s.gaps).map((s) => s.key),
);
export const SERIES_KEYS: readonly SeriesKey[] = SERIES.map((s) => s.key);
export const SERIES_INDEX = Object.fromEntries(SERIES_KEYS.map((k, i) => [k, i])) as Record<SeriesKey, number>;

/** A run's series: one Float64Array of length `ticks + 1` per column. */
export type Series = Record<SeriesKey, Float64Array>;

/** A series built column by column: `column(key)` for every key, in series order. */
export function mapSeries(column: (key: SeriesKey) => Float64Array): Series {
  return Object.fromEntries(SERIES_KEYS.map((key) => [key, column(key)])) as Series;
}
