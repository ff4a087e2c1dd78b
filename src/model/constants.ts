/**
 * Fixed constants of the market model and the typed view of the engine's parameter block.
 * `assembly/layout.ts` mirrors every constant here; the differential tests keep them equal.
 */
import { SCHEMA, type ParamKey } from './schema.ts';

export const MODEL = {
  /** One tick is one minute; crypto trades 24/7. */
  DT_YEARS: 1 / 525_600,
  TICKS_PER_DAY: 1440,
  /** PRNG streams: market noise and agent draws never share a stream, so switching agents off leaves the noise unchanged. */
  MARKET_STREAM: 0,
  AGENT_STREAM: 1,
  /** The option grid: strikes as a multiple of the start price × expiries in days, puts and calls. */
  MONEYNESS: Array.from({ length: 9 }, (_, k) => 0.8 + 0.05 * k),
  TENOR_DAYS: [1, 7, 30],
  /** Default option grid (src/model/option-grid.ts): share of open interest in each tenor; short expiries dominate, where gamma is largest. */
  TENOR_WEIGHTS: [0.4, 0.35, 0.25],
  /** Default option grid: standard deviation of open interest's strike index around at-the-money. */
  STRIKE_SPREAD: 1.5,
  POSITIONS_PER_DEALER: 4,
  /** Log-normal dispersion of option position sizes, perp notionals and leverage (mean preserved). */
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
  /** Depth never thins below this share of normal (order books kept about 2% of their depth on 10 Oct 2025). */
  MIN_DEPTH: 0.25,
  /** The log price stays within ±LOG_PRICE_BOUND of the start: finite and positive whatever the parameters. */
  LOG_PRICE_BOUND: 30,
} as const;

/** The parameter block read by name: enums as option indices. */
export type EngineParams = Record<ParamKey, number>;

export function readBlock(block: Float64Array): EngineParams {
  if (block.length !== SCHEMA.length) throw new Error(`parameter block has ${block.length} entries, expected ${SCHEMA.length}`);
  return Object.fromEntries(SCHEMA.map((spec, i) => [spec.key, block[i]])) as EngineParams;
}
