/**
 * Real price paths of the crashes the presets tell, to draw beside a run: 1-minute BTC on
 * 10 Oct 2025, 12–13 Mar 2020 and 19 May 2021; hourly BTC and ETH around Black Thursday and
 * 19 May 2021; the S&P 500 and the Dow around 19 Oct 1987. Built by
 * `src/model/data/build.ts` from ../shared/data (each file names its source).
 *
 * Each path is closes at minutes from its alignment point, the start of its crash (the last
 * local peak before the steepest fall; each file says why it chose its point). Crypto trades
 * around the clock, so its minutes are UTC minutes; the equity indices are daily closes on the
 * `session` clock, one NYSE session (390 minutes, 9:30–16:00) apart, because a market that is
 * closed does not move and a run's ticks are minutes of trading.
 */
import type { Params } from './schema.ts';
import btc1m20251010 from './data/history-btc-1m-2025-10-10.json' with { type: 'json' };
import btc1m20200313 from './data/history-btc-1m-2020-03-13.json' with { type: 'json' };
import btc1m20210519 from './data/history-btc-1m-2021-05-19.json' with { type: 'json' };
import btc1h202003 from './data/history-btc-1h-2020-03.json' with { type: 'json' };
import eth1h202003 from './data/history-eth-1h-2020-03.json' with { type: 'json' };
import btc1h202105 from './data/history-btc-1h-2021-05.json' with { type: 'json' };
import eth1h202105 from './data/history-eth-1h-2021-05.json' with { type: 'json' };
import sp5001d1987 from './data/history-sp500-1d-1987.json' with { type: 'json' };
import djia1d1987 from './data/history-djia-1d-1987.json' with { type: 'json' };

export interface HistoryPath {
  id: string;
  label: string;
  asset: string;
  resolution: '1m' | '1h' | '1d';
  /** `utc`: minutes of real time; `session`: minutes of trading, 390 per NYSE session. */
  clock: 'utc' | 'session';
  /** The file in ../shared/data it was read from. */
  file: string;
  /** What the data is, and where it came from (repository @ commit : path), from the data README. */
  description: string;
  source: string;
  /** The start of the crash: its time (ISO, or a session date), its close and why it was chosen. */
  alignment: { time: string; close: number; reason: string };
  /** Minutes from the alignment point of each close, ascending (a bar's close sits at its end). */
  minutes: readonly number[];
  close: readonly number[];
}

const PATHS = [
  btc1m20251010,
  btc1m20200313,
  btc1m20210519,
  btc1h202003,
  eth1h202003,
  btc1h202105,
  eth1h202105,
  sp5001d1987,
  djia1d1987,
] as HistoryPath[];

export type HistoryId =
  | 'btc-1m-2025-10-10'
  | 'btc-1m-2020-03-13'
  | 'btc-1m-2021-05-19'
  | 'btc-1h-2020-03'
  | 'eth-1h-2020-03'
  | 'btc-1h-2021-05'
  | 'eth-1h-2021-05'
  | 'sp500-1d-1987'
  | 'djia-1d-1987';

/** Every path by id. */
export const HISTORY_PATHS = Object.fromEntries(PATHS.map((path) => [path.id, path])) as Readonly<
  Record<HistoryId, HistoryPath>
>;

export const HISTORY_IDS = Object.keys(HISTORY_PATHS) as HistoryId[];

export function isHistoryId(id: string): id is HistoryId {
  return Object.hasOwn(HISTORY_PATHS, id);
}

export function historyPath(id: string): HistoryPath {
  if (!isHistoryId(id))
    throw new Error(`unknown price history ${JSON.stringify(id)}; known: ${HISTORY_IDS.join(', ')}`);
  return HISTORY_PATHS[id];
}

/**
 * The historical price at each index of a run's series (length `ticks + 1`, one tick a minute),
 * its alignment point at index `shockStart` (the state just before the shock's first tick) and
 * rescaled so that point equals the run's start price `price0`: the run and the history start
 * their falls from the same price. Linear between closes. NaN means "no data" — before the
 * path's first close or after its last; whoever draws or prints it must skip it (the CLI prints
 * null).
 */
export function alignHistory(id: string, params: Pick<Params, 'ticks' | 'shockStart' | 'price0'>): Float64Array {
  const { minutes, close, alignment } = historyPath(id);
  const out = new Float64Array(params.ticks + 1);
  let k = 0;
  for (let t = 0; t <= params.ticks; t++) {
    const minute = t - params.shockStart;
    if (minute < minutes[0] || minute > minutes[minutes.length - 1]) {
      out[t] = NaN;
      continue;
    }
    while (minutes[k + 1] < minute) k++;
    const w = (minute - minutes[k]) / (minutes[k + 1] - minutes[k]);
    // Price0 times a ratio, so the alignment point gives price0 exactly.
    out[t] = params.price0 * ((close[k] + w * (close[k + 1] - close[k])) / alignment.close);
  }
  return out;
}

export interface HistoryStats {
  /** Close at the alignment point. */
  peak: number;
  trough: number;
  /** 1 − trough ÷ peak: the fall as a fraction, as `Summary.maxDrawdown` reports a run's. */
  drawdown: number;
  /** Minutes (of the path's clock) from the alignment point to the trough. */
  minutesToTrough: number;
}

/** A rebound ends the crash once it wins back this share of the loss … */
const REBOUND_SHARE = 0.5;
/** … and at least this much above the low, so a bounce of a few ticks' noise does not. */
const REBOUND_MIN = 0.05;

/**
 * How far and how fast the crash fell, for comparing with a run. The trough is the lowest close
 * before the first real rebound (one that wins back half of the loss and 5% of the price; the
 * lowest close of the data when none comes), so a later leg down is not taken for the crash
 * itself. `horizonMinutes` limits the search to that many minutes after the alignment point,
 * e.g. `ticks − shockStart` to compare with a run over the same window.
 */
export function historyStats(id: string, horizonMinutes = Infinity): HistoryStats {
  const { minutes, close, alignment } = historyPath(id);
  const start = minutes.indexOf(0);
  let end = start;
  while (end + 1 < close.length && minutes[end + 1] <= horizonMinutes) end++;
  const low = troughIndex(close, start, end, alignment.close);
  return {
    peak: alignment.close,
    trough: close[low],
    drawdown: 1 - close[low] / alignment.close,
    minutesToTrough: minutes[low],
  };
}

/**
 * The same for a run's price from its shock's start (tick `from`, one tick a minute): the fall
 * from the price then to the trough, and the minutes it took, by the same rule.
 */
export function runCrashStats(price: ArrayLike<number>, from: number): HistoryStats {
  const low = troughIndex(price, from, price.length - 1, price[from]);
  return { peak: price[from], trough: price[low], drawdown: 1 - price[low] / price[from], minutesToTrough: low - from };
}

/** Index of the lowest value of `values[from..to]` before the first real rebound from it (see `historyStats`). */
function troughIndex(values: ArrayLike<number>, from: number, to: number, peak: number): number {
  let low = from;
  for (let k = from + 1; k <= to; k++) {
    if (values[k] < values[low]) low = k;
    else if (
      values[k] >= values[low] + REBOUND_SHARE * (peak - values[low]) &&
      values[k] >= values[low] * (1 + REBOUND_MIN)
    )
      break;
  }
  return low;
}
