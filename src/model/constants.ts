/**
 * Fixed constants of the market model and the typed view of the engine's parameter block.
 * `assembly/layout.ts` mirrors every constant here; test/unit/engine/layout.test.ts keeps them equal.
 */
import { SCHEMA, type ParamKey } from './schema.ts';

export const MODEL = {
  /** One tick is one minute of trading. Crypto trades around the clock: 365 × 1440 minutes a year. */
  MINUTES_PER_YEAR: 525_600,
  MINUTES_PER_DAY: 1440,
  /** An exchange session clock (`clock=session`): 252 sessions of 390 minutes. */
  SESSION_MINUTES_PER_YEAR: 98_280,
  SESSION_MINUTES: 390,
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
  /** Default option grid: tenors in days. */
  TENOR_DAYS: [1, 7, 30],
  /** Default option grid: share of open interest in each tenor; short expiries dominate, where gamma is largest. */
  TENOR_WEIGHTS: [0.4, 0.35, 0.25],
  /** Default option grid: standard deviation of open interest's strike index around at-the-money. */
  STRIKE_SPREAD: 1.5,
  /** Default option grid: the listing order of a tenor's series steps by this (coprime to its 10 series). */
  EXPIRY_STRIDE: 3,
  /** Puts struck below this multiple of spot are sold by customers for yield; nearer ones bought for protection. */
  YIELD_PUT_MONEYNESS: 0.875,
  /** Default option grid: open interest of yield puts relative to the strike density. */
  YIELD_PUT_WEIGHT: 3,
  POSITIONS_PER_DEALER: 4,
  /** Log-normal dispersion of option position sizes, perp notionals, loan sizes, leverage and insured portfolios (mean preserved). */
  SIZE_SIGMA: 0.5,
  NOTIONAL_SIGMA: 0.8,
  LEVERAGE_SIGMA: 0.5,
  /** Correlation of an account's leverage draw with its size draw: large accounts use less leverage (leverage brackets). */
  LEVERAGE_SIZE_CORRELATION: -0.6,
  MAX_LEVERAGE: 100,
  /** A queued account whose remaining size falls below this share of its size is closed out. */
  DUST: 1e-9,
  /** Share of the gap to their target position value traders close each tick. */
  VALUE_SPEED: 0.2,
  /** Index of 'linear' among the options of the `impactLaw` parameter. */
  IMPACT_LINEAR: 0,
  /** Index of 'session' among the options of the `clock` parameter. */
  CLOCK_SESSION: 1,
  /** The linear law λ = LINEAR_MATCH·Y·σ_daily/V agrees with the square-root law at 1/LINEAR_MATCH² of daily volume. */
  LINEAR_MATCH: 10,
  /** Depth never thins below this share of normal. */
  MIN_DEPTH: 0.25,
  /** The log price stays within ±LOG_PRICE_BOUND of the start: finite and positive whatever the parameters. */
  LOG_PRICE_BOUND: 30,
  /** Implied vol is kept within these bounds (per year); BTC's DVOL index peaked near 200% (March 2020). */
  MIN_IMPLIED_VOL: 0.01,
  MAX_IMPLIED_VOL: 2,
  /** A series of T days moves √(TERM_REF_DAYS / T) as far from the baseline as the short-dated implied vol (at most as far). */
  TERM_REF_DAYS: 1,
  /** Expected move of implied vol with spot in dealers' hedge delta: ∂σ/∂S = −SPOT_VOL_BETA·σ/S. */
  SPOT_VOL_BETA: 2,
  /** The tick's price solve: passes over the dealers, iterations and tolerance of the scalar solve, its first bracket step. */
  HEDGE_PASSES: 2,
  SOLVE_ITERATIONS: 60,
  SOLVE_TOLERANCE: 1e-13,
  SOLVE_FIRST_STEP: 0.001,
  /** A short-gamma book's within-tick response is capped so the solve's slope stays at least this. */
  MIN_SOLVE_SLOPE: 0.25,
  /** No liquidation price lies nearer the start price than this many standard deviations of the pre-shock noise … */
  QUIET_SIGMAS: 4,
  /** … measured over at least this many ticks, and never further than this share of the price. */
  QUIET_MIN_TICKS: 60,
  MAX_QUIET_DISTANCE: 0.5,
  /** Dynamic margin counts realized vol above this multiple of baseline as stress. */
  VOL_STRESS: 1.5,
  /** Dynamic margin and the AMM count dealers' short gamma beyond this share of daily volume per 1% move as stress. */
  GEX_STRESS_SHARE: 0.01,
  /** The gamma flip is searched within ±FLIP_RANGE of spot in steps of FLIP_STEP, then refined by FLIP_REFINE bisections. */
  FLIP_RANGE: 0.3,
  FLIP_STEP: 0.01,
  FLIP_REFINE: 12,
  /** Share of each short option position a dealer past its loss limit buys back per tick. */
  BUYBACK_RATE: 0.1,
  /**
   * A position bought back to less than this share of the mean position size is closed: tick after
   * tick of buy-backs would otherwise shrink it into subnormal numbers (about −2e-323, where a
   * multiplication by 0.9 no longer changes it), which are many times slower to compute with.
   */
  POSITION_DUST: 1e-9,
  /** Share of its hedge gap the options AMM trades per tick: it hedges over time, not at once. */
  AMM_HEDGE_RATE: 0.02,
  /** Implied vol the AMM adds per tick per unit of stress and of hedge gap. */
  AMM_IV_SLOPE: 0.002,
  /** Highest maintenance margin dynamic margin may ask. */
  MAX_MAINT_MARGIN: 0.5,
  /** Most of its position a margin-called account sells per tick. */
  DELEVERAGE_SPEED: 0.05,
  /** Share of a margin call's missing equity traders meet with new collateral (the rest by selling). */
  MARGIN_TOP_UP: 0.5,
  /** Log-normal dispersion of a loan's starting health factor above 1 (its median is `loanHealth`). */
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

/** The run's clock from its `clock` parameter: one tick in years, ticks per trading day, trading days a year. */
export interface Clock {
  dtYears: number;
  ticksPerDay: number;
  daysPerYear: number;
}

/** `clock` as the engines read it (the option's index) or as the schema names it. */
export function clockOf(clock: number | string): Clock {
  const session = clock === MODEL.CLOCK_SESSION || clock === 'session';
  const minutesPerYear = session ? MODEL.SESSION_MINUTES_PER_YEAR : MODEL.MINUTES_PER_YEAR;
  const ticksPerDay = session ? MODEL.SESSION_MINUTES : MODEL.MINUTES_PER_DAY;
  return { dtYears: 1 / minutesPerYear, ticksPerDay, daysPerYear: minutesPerYear / ticksPerDay };
}

/** The parameter block read by name: enums as option indices. */
export type EngineParams = Record<ParamKey, number>;

export function readBlock(block: Float64Array): EngineParams {
  if (block.length !== SCHEMA.length)
    throw new Error(`parameter block has ${block.length} entries, expected ${SCHEMA.length}`);
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
