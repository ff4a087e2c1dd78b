// The run's clock: one tick is one minute of trading. Crypto trades around the clock (525,600
// minutes a year); an exchange session clock counts only trading minutes (252 sessions of 390).
import { P, CLOCK_SESSION, MINUTES_PER_YEAR, MINUTES_PER_DAY, SESSION_MINUTES_PER_YEAR, SESSION_MINUTES } from './layout';
import { param } from './params';

/** One tick in years. */
export let dtYears: f64 = 1.0 / MINUTES_PER_YEAR;
/** Ticks in one day of trading (an option's tenor in days becomes ticks with it). */
export let ticksPerDay: i32 = MINUTES_PER_DAY;
/** Trading days in a year: daily volatility is σ₀/√daysPerYear. */
export let daysPerYear: f64 = 365;

/** Read the clock parameter. Called by `init`, before any mechanism. */
export function initClock(): void {
  const session = <i32>param(P.clock) == CLOCK_SESSION;
  const minutesPerYear = session ? SESSION_MINUTES_PER_YEAR : MINUTES_PER_YEAR;
  ticksPerDay = session ? SESSION_MINUTES : MINUTES_PER_DAY;
  dtYears = 1.0 / minutesPerYear;
  daysPerYear = minutesPerYear / <f64>ticksPerDay;
}
