// The memory map of the engine and the constants of the model. Mirrors src/model/schema.ts
// (parameter order), src/model/series.ts (column order) and src/model/constants.ts (MODEL);
// test/unit/engine/layout.test.ts keeps them in step.


/** Parameter block entries, in schema order. */
export enum P {
  seed, ticks, clock, price0, vol0, dailyVolume, impactLaw, impactY, impactHalfLife, permanentImpact, depthThinning,
  volHalfLife, ivSpeed, rate, dividend, oracleDelay, oracleMode, oracleDeviation, valueCapital, valueBand, shock,
  shockStart, shockTicks, dealers, gex, optionOI, hedgeBand, hedgeRate, dealerCapital, lossLimit, ivDemand,
  accounts, leverage, perpOI, longShare, entrySpread, maintMargin, liqSpeed, liqBonus, venue, insuranceFund,
  borrowers, lendingDebt, loanHealth, liqThreshold, closeFactor, lendingBonus, keeperCapacity, keeperFailure, poolLiquidity,
  arbSpeed, insurers, insuredCapital, cppiMultiplier, cppiFloor, cppiCapacity, cppiBand, stableSupply, redeemCap, panicRate,
  pegDepth, breakerThreshold, breakerWindow, breakerHalt, dynamicMargin, ammShare, liqThrottle,
  loopDealers, loopVega, loopPerps, loopLending, loopInsurers, loopStablecoin, loopDepth,
  COUNT,
}

/** Series columns, in the order of src/model/series.ts. */
export enum Col {
  price, cfPrice, oracle, poolPrice, fairValue, realizedVol, impliedVol, cfRealizedVol, gex, dealerVega,
  optionDemand, dealerFlow, ammFlow, shockFlow, valueFlow, arbFlow, cppiFlow, redemptionFlow, liqLong, liqShort,
  liqLending, liqAccounts, liqQueue, deleverage, adlVolume, badDebt, lendingBadDebt, liqMargin, liqCounterparty,
  liqBonus, liqReturned, fundIn, fundPaid, insuranceFund, maintMargin, halted, pegPrice, stableSupply, tokenSupply,
  depth, gammaFlip, marginPosted,
  COUNT,
}

/** Option indices of enum parameters (their order in the schema). */
export const ORACLE_TWAP: i32 = 1;
export const ORACLE_POOL: i32 = 2;
export const VENUE_CEX: i32 = 1;
export const IMPACT_LINEAR: i32 = 0;
export const CLOCK_SESSION: i32 = 1;
export const LOOP_OFF: i32 = 1;

export const MINUTES_PER_YEAR: f64 = 525600;
export const MINUTES_PER_DAY: i32 = 1440;
export const SESSION_MINUTES_PER_YEAR: f64 = 98280;
export const SESSION_MINUTES: i32 = 390;
/** Greeks are quoted per 1% move: GEX per 1% move of the price, vega per vol point. */
export const PER_PERCENT: f64 = 0.01;
export const MARKET_STREAM: u32 = 0;
export const AGENT_STREAM: u32 = 1;
export const EVENT_STREAM: u32 = 2;
/** The option grid block: GRID_STRIDE values per series (see src/model/option-grid.ts). */
export const GRID_STRIDE: i32 = 6;
export const MAX_OPTION_SERIES: i32 = 4096;
export const POSITIONS_PER_DEALER: i32 = 4;
export const SIZE_SIGMA: f64 = 0.5;
export const NOTIONAL_SIGMA: f64 = 0.8;
export const LEVERAGE_SIGMA: f64 = 0.5;
export const LEVERAGE_SIZE_CORRELATION: f64 = -0.6;
export const MAX_LEVERAGE: f64 = 100.0;
export const DUST: f64 = 1e-9;
export const VALUE_SPEED: f64 = 0.2;
export const LINEAR_MATCH: f64 = 10.0;
export const MIN_DEPTH: f64 = 0.25;
export const LOG_PRICE_BOUND: f64 = 30.0;
export const MIN_IMPLIED_VOL: f64 = 0.01;
export const MAX_IMPLIED_VOL: f64 = 2.0;
export const TERM_REF_DAYS: f64 = 1.0;
export const SPOT_VOL_BETA: f64 = 2.0;
export const HEDGE_PASSES: i32 = 2;
export const SOLVE_ITERATIONS: i32 = 60;
export const SOLVE_TOLERANCE: f64 = 1e-13;
export const SOLVE_FIRST_STEP: f64 = 0.001;
export const MIN_SOLVE_SLOPE: f64 = 0.25;
export const QUIET_SIGMAS: f64 = 4.0;
export const QUIET_MIN_TICKS: i32 = 60;
export const MAX_QUIET_DISTANCE: f64 = 0.5;
export const VOL_STRESS: f64 = 1.5;
export const GEX_STRESS_SHARE: f64 = 0.01;
export const FLIP_RANGE: f64 = 0.3;
export const FLIP_STEP: f64 = 0.01;
export const FLIP_REFINE: i32 = 12;
export const BUYBACK_RATE: f64 = 0.1;
export const AMM_HEDGE_RATE: f64 = 0.02;
export const AMM_IV_SLOPE: f64 = 0.002;
export const MAX_MAINT_MARGIN: f64 = 0.5;
export const DELEVERAGE_SPEED: f64 = 0.05;
export const MARGIN_TOP_UP: f64 = 0.5;
export const LOAN_HEALTH_SIGMA: f64 = 0.5;
export const LOAN_DUST_USD: f64 = 1.0;
export const CONF_PEG: f64 = 10.0;
export const CONF_PRICE: f64 = 1.5;
export const CONF_SPEED: f64 = 0.05;
export const PEG_REFILL: f64 = 0.01;
export const TOKEN_SUPPLY0: f64 = 1e9;

/** exp(σ·z − σ²/2): a log-normal factor with mean 1. */
// @ts-ignore: decorator
@inline export function lognormalFactor(sigma: f64, z: f64): f64 {
  return Math.exp(sigma * z - (sigma * sigma) / 2);
}
