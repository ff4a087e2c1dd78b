// The memory map of the engine and the constants of the model. Mirrors src/model/schema.ts
// (parameter order), src/model/series.ts (column order) and src/model/constants.ts (MODEL);
// test/unit/engine/layout.test.ts keeps them in step.

export type float = f64;

/** Parameter block entries, in schema order. */
export enum P {
  seed, ticks, price0, vol0, dailyVolume, impactLaw, impactY, impactHalfLife, permanentImpact, depthThinning,
  volHalfLife, ivSpeed, rate, dividend, oracleDelay, oracleMode, oracleDeviation, valueCapital, valueBand, shock,
  shockStart, shockTicks, dealers, gex, optionOI, hedgeBand, hedgeRate, dealerCapital, lossLimit, ivDemand,
  accounts, leverage, perpOI, longShare, entrySpread, maintMargin, liqSpeed, liqBonus, venue, insuranceFund,
  borrowers, lendingDebt, liqThreshold, closeFactor, lendingBonus, keeperCapacity, keeperFailure, poolLiquidity,
  arbSpeed, insurers, insuredCapital, cppiMultiplier, cppiFloor, cppiBand, stableSupply, redeemCap, panicRate,
  pegDepth, breakerThreshold, breakerWindow, breakerHalt, dynamicMargin, ammShare, liqThrottle,
  COUNT,
}

/** Series columns, in the order of src/model/series.ts. */
export enum Col {
  price, cfPrice, oracle, poolPrice, fairValue, realizedVol, impliedVol, cfRealizedVol, gex, dealerVega,
  optionDemand, dealerFlow, ammFlow, shockFlow, valueFlow, arbFlow, cppiFlow, redemptionFlow, liqLong, liqShort,
  liqLending, liqAccounts, liqQueue, deleverage, adlVolume, badDebt, lendingBadDebt, liqMargin, liqCounterparty,
  liqBonus, liqReturned, fundIn, fundPaid, insuranceFund, maintMargin, halted, pegPrice, stableSupply, tokenSupply,
  depth,
  COUNT,
}

/** Option indices of enum parameters (their order in the schema). */
export const ORACLE_TWAP: i32 = 1;
export const ORACLE_POOL: i32 = 2;
export const VENUE_CEX: i32 = 1;
export const IMPACT_LINEAR: i32 = 0;

export const DT_YEARS: float = 1.0 / 525600.0;
export const TICKS_PER_DAY: i32 = 1440;
export const MARKET_STREAM: u32 = 0;
export const AGENT_STREAM: u32 = 1;
export const EVENT_STREAM: u32 = 2;
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
export const LINEAR_MATCH: float = 10.0;
export const MIN_DEPTH: float = 0.25;
export const LOG_PRICE_BOUND: float = 30.0;
export const MIN_IMPLIED_VOL: float = 0.01;
export const MAX_IMPLIED_VOL: float = 10.0;
export const BUYBACK_RATE: float = 0.1;
export const AMM_HEDGE_RATE: float = 0.02;
export const AMM_IV_SLOPE: float = 0.002;
export const MAX_MAINT_MARGIN: float = 0.5;
export const DELEVERAGE_SPEED: float = 0.05;
export const LOAN_HEALTH_EXCESS: float = 0.5;
export const LOAN_HEALTH_SIGMA: float = 0.5;
export const LOAN_DUST_USD: float = 1.0;
export const CONF_PEG: float = 10.0;
export const CONF_PRICE: float = 1.5;
export const CONF_SPEED: float = 0.05;
export const PEG_REFILL: float = 0.01;
export const TOKEN_SUPPLY0: float = 1e9;

/** exp(σ·z − σ²/2): a log-normal factor with mean 1. */
// @ts-ignore: decorator
@inline export function lognormalFactor(sigma: f64, z: f64): f64 {
  return Math.exp(sigma * z - (sigma * sigma) / 2);
}
