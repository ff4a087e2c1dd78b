/**
 * Fixed constants of the market model and the typed view of the engine's parameter block.
 * `assembly/layout.ts` mirrors every constant here; test/unit/engine/layout.test.ts keeps them equal.
 */
import { SCHEMA, type ParamKey } from './schema.ts';

/** One tick is one minute and crypto trades 24/7: 365 × 1440 minutes a year. */
const TICKS_PER_YEAR = 525_600;

export const MODEL = {
  TICKS_PER_YEAR,
  /** One tick, in years. */
  DT_YEARS: 1 / TICKS_PER_YEAR,
  TICKS_PER_DAY: 1440,
  /** Greeks are quoted per 1% move: GEX per 1% move of the price, vega per vol point (0.01 of vol). */
  PER_PERCENT: 0.01,
  /**
   * PRNG streams: market noise, agent draws at init and events during the run never share a
   * stream, so switching agents off leaves the noise unchanged.
   */
  MARKET_STREAM: 0,
  AGENT_STREAM: 1,
  EVENT_STREAM: 2,
  /** Default option grid (src/model/option-grid.ts): strikes as a multiple of the start price. */
  MONEYNESS: Array.from({ length: 9 }, (_, k) => 0.8 + 0.05 * k),
  /** Default option grid: expiries in days. */
  TENOR_DAYS: [1, 7, 30],
  /** Default option grid: share of open interest in each tenor; short expiries dominate, where gamma is largest. */
  TENOR_WEIGHTS: [0.4, 0.35, 0.25],
  /** Default option grid: standard deviation of open interest's strike index around at-the-money. */
  STRIKE_SPREAD: 1.5,
  POSITIONS_PER_DEALER: 4,
  /** Log-normal dispersion of option position sizes, perp notionals, loan sizes, leverage and insured portfolios (mean preserved). */
  SIZE_SIGMA: 0.5,
  NOTIONAL_SIGMA: 0.8,
  LEVERAGE_SIGMA: 0.5,
  MAX_LEVERAGE: 100,
  ENTRY_ATTEMPTS: 16,
  /** A queued account whose remaining size falls below this share of its size is closed out. */
  DUST: 1e-9,
  /** Share of the gap to their target position value traders close each tick. */
  VALUE_SPEED: 0.2,
  /** Index of 'linear' among the options of the `impactLaw` parameter. */
  IMPACT_LINEAR: 0,
  /** The linear law λ = LINEAR_MATCH·Y·σ_daily/V agrees with the square-root law at 1/LINEAR_MATCH² of daily volume. */
  LINEAR_MATCH: 10,
  /** Depth never thins below this share of normal. */
  MIN_DEPTH: 0.25,
  /** The log price stays within ±LOG_PRICE_BOUND of the start: finite and positive whatever the parameters. */
  LOG_PRICE_BOUND: 30,
  /** Implied vol is kept within these bounds (per year). */
  MIN_IMPLIED_VOL: 0.01,
  MAX_IMPLIED_VOL: 10,
  /** Share of each short option position a dealer past its loss limit buys back per tick. */
  BUYBACK_RATE: 0.1,
  /** Share of its hedge gap the options AMM trades per tick: it hedges over time, not at once. */
  AMM_HEDGE_RATE: 0.02,
  /** Implied vol the AMM adds per tick at full stress (negative GEX as large as the book's starting GEX). */
  AMM_IV_SLOPE: 0.002,
  /** Highest maintenance margin dynamic margin may ask. */
  MAX_MAINT_MARGIN: 0.5,
  /** Share of margin-called positions reduced per tick under dynamic margin. */
  DELEVERAGE_SPEED: 0.05,
  /** Median starting health factor of a loan is 1 + this; log-normal dispersion LOAN_HEALTH_SIGMA. */
  LOAN_HEALTH_EXCESS: 0.5,
  LOAN_HEALTH_SIGMA: 0.5,
  /** A loan with less debt than this (USD) left is closed out. */
  LOAN_DUST_USD: 1,
  /** Stablecoin confidence: falls with the peg's discount (× CONF_PEG) and the token's fall (× CONF_PRICE). */
  CONF_PEG: 10,
  CONF_PRICE: 1.5,
  CONF_SPEED: 0.05,
  /** Share of unabsorbed stablecoin selling the peg pool works off by itself each tick. */
  PEG_REFILL: 0.01,
  /** Governance-token supply before the run (LUNA had about a billion). */
  TOKEN_SUPPLY0: 1e9,
} as const;

/** The parameter block read by name: enums as option indices. */
export type EngineParams = Record<ParamKey, number>;

export function readBlock(block: Float64Array): EngineParams {
  if (block.length !== SCHEMA.length) throw new Error(`parameter block has ${block.length} entries, expected ${SCHEMA.length}`);
  return Object.fromEntries(SCHEMA.map((spec, i) => [spec.key, block[i]])) as EngineParams;
}

/** Index of an enum parameter's option, as the engines see it. */
export function optionIndex(key: ParamKey, option: string): number {
  const spec = SCHEMA.find((p) => p.key === key);
  return spec && spec.type === 'enum' ? (spec.options as readonly string[]).indexOf(option) : -1;
}

/** exp(σ·z − σ²/2): a log-normal factor with mean 1 (`lognormalFactor` of assembly/layout.ts). */
export function lognormalFactor(sigma: number, z: number): number {
  return Math.exp(sigma * z - (sigma * sigma) / 2);
}
