// The memory map of the engine and the constants of the model. Mirrors src/model/schema.ts
// (parameter order), src/model/series.ts (column order) and src/model/constants.ts (MODEL);
// test/unit/engine/layout.test.ts keeps them in step.

export type float = f64;

/** Parameter block entries, in schema order. */
export enum P {
  seed, ticks, price0, vol0, dailyVolume, impactLaw, impactY, impactHalfLife, permanentImpact, depthThinning, volHalfLife, ivSpeed,
  rate, dividend, oracleDelay, valueCapital, valueBand, shock, shockStart, shockTicks, dealers, gex,
  optionOI, hedgeBand, hedgeRate, accounts, leverage, perpOI, longShare, entrySpread, maintMargin,
  liqSpeed, liqBonus,
  COUNT,
}

/** Series columns, in the order of src/model/series.ts. */
export enum Col {
  price, cfPrice, oracle, fairValue, realizedVol, impliedVol, cfRealizedVol, gex, dealerVega,
  dealerFlow, shockFlow, valueFlow, liqLong, liqShort, liqAccounts, liqQueue, badDebt, liqBonus, depth,
  COUNT,
}

export const DT_YEARS: float = 1.0 / 525600.0;
export const TICKS_PER_DAY: i32 = 1440;
export const MARKET_STREAM: u32 = 0;
export const AGENT_STREAM: u32 = 1;
/** The option grid block: GRID_STRIDE values per series (see src/model/option-grid.ts). */
export const GRID_STRIDE: i32 = 4;
export const MAX_OPTION_SERIES: i32 = 4096;
export const POSITIONS_PER_DEALER: i32 = 4;
export const SIZE_SIGMA: float = 0.5;
export const NOTIONAL_SIGMA: float = 0.8;
export const LEVERAGE_SIGMA: float = 0.5;
export const MAX_LEVERAGE: float = 100.0;
export const ENTRY_ATTEMPTS: i32 = 16;
export const DUST: float = 1e-9;
export const VALUE_SPEED: float = 0.2;
export const IMPACT_LINEAR: i32 = 0;
export const LINEAR_MATCH: float = 10.0;
export const MIN_DEPTH: float = 0.25;
export const LOG_PRICE_BOUND: float = 30.0;
