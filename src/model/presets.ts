/**
 * Scenario presets: named starting points for the page and `cascade-lab run --preset NAME`,
 * each telling one of the essay's stories. A preset sets only the parameters its story is
 * about; everything else stays at its default. Figures quoted are the public ones of
 * ../shared/MODEL.md §4a; the simulated market is stylized, so a preset is shaped on its event,
 * not fitted to it (the README's "Scenarios" section says how close each comes).
 */
import type { ChainId } from './chains.ts';
import type { Params } from './schema.ts';

export interface Preset {
  name: string;
  /** One line, shown in `cascade-lab presets` and the page's preset menu. */
  title: string;
  story: string;
  params: Partial<Params>;
  /** Id of the real price path drawn beside the run, aligned at the shock (src/model/history.ts). */
  history?: string;
  /** A real options chain shapes the dealer book instead of the stylized grid (src/model/chains.ts). */
  chain?: ChainId;
}

/** The perp cascade both the 10 Oct 2025 preset and its mitigated twin start from. */
const OCT_2025: Partial<Params> = {
  leverage: 15, gex: -0.5, liqSpeed: 1, longShare: 0.75, shock: 0.04, entrySpread: 0.05,
};

export const PRESETS: readonly Preset[] = [
  {
    name: 'calm',
    title: 'Calm market: dealers long gamma, little leverage — the shock is absorbed',
    story:
      'Dealers are long gamma: as the price falls their hedges make them buy, so they lean against the move. Few accounts are levered enough to be liquidated. A 3% sell program moves the price about as far as it would on its own: the feedback multiplier stays near 1. Cboe\u2019s study of 2020–23 finds this is the usual state: dealer gamma mostly positive and vol-damping.',
    params: { gex: 0.8, leverage: 3, shock: 0.03 },
  },
  {
    name: 'gamma-squeeze',
    title: 'Negative-gamma squeeze: dealers short gamma sell into the fall',
    story:
      'Customers have bought protection, so dealers are short puts and calls, and the options market is large. Each tick down pushes the puts deeper in the money, and to stay delta-neutral dealers must sell more of the underlying, which pushes it lower: the gamma loop alone, with little leverage. Returns trend (positive autocorrelation) and realized volatility rises, as Barbon and Buraschi\u2019s "gamma fragility" predicts; on the worst negative-gamma days Cboe measures about 3.3 points of extra daily volatility.',
    params: { gex: -1, leverage: 3, optionOI: 1.5e10, hedgeRate: 0.5, shock: 0.04 },
  },
  {
    name: 'perp-cascade',
    title: 'Perp liquidation cascade (10–11 Oct 2025): crowded leveraged longs, bots liquidate at once',
    story:
      'Crowded longs at 15× average leverage, dealers short gamma, and liquidation bots that close every position the oracle crosses at once. A 4% sell program crosses the first liquidation prices; each liquidation is a market sell into a book that thins as volatility jumps, crossing the next. On 10–11 Oct 2025 about $19B was liquidated across about 1.6M accounts, $3.2B of it within one minute, as BTC fell from about $122.6k to $104.8k (−14.5%); one venue\u2019s insurance fund paid about $188M and another auto-deleveraged. The real 1-minute BTC path is drawn beside the run.',
    params: OCT_2025,
    history: 'btc-1m-2025-10-10',
  },
  {
    name: 'defi-contagion',
    title: 'DeFi lending cascade with contagion (12 Mar 2020): one oracle reads the pool that liquidations sell into',
    story:
      'Borrowers hold ETH as collateral for stablecoin loans. Keepers liquidate unhealthy loans and sell the seized ETH into a thin DEX pool — and the one oracle every protocol shares reads that pool, so lending liquidations push the oracle down, which liquidates perps and more loans: the shared wire makes one network of them. Keepers have little capacity and a third of auctions clear at zero bids. On Black Thursday ETH fell over 40% in a day; Maker liquidated about ten times its lifetime volume in 24 hours, 36% of it (about $8.3M of ETH) at zero bids, leaving about 5.7M DAI of bad debt. The real hourly ETH path is drawn beside the run.',
    params: {
      ticks: 1440, price0: 195, vol0: 0.8, dailyVolume: 1e10, perpOI: 3e9, leverage: 8, gex: -0.3,
      borrowers: 20000, lendingDebt: 3e9, oracleMode: 'pool', liqThreshold: 0.8, keeperCapacity: 3e7,
      keeperFailure: 0.36, poolLiquidity: 3e8, arbSpeed: 0.2, shock: 0.2, shockTicks: 120,
    },
    history: 'eth-1h-2020-03',
  },
  {
    name: 'portfolio-insurance-1987',
    title: 'Portfolio insurance, 19 Oct 1987: CPPI sellers turn a decline into a crash',
    story:
      'No crypto leverage and no dealers: portfolio insurers hold a multiple of their cushion above a floor, so every fall makes them sell, which deepens the fall. On 19 Oct 1987 the Dow fell 22.6% in a day; insurers sold about $4B of futures, over 40% of futures volume, and their models called for about $12B more. Here the session of 19 Oct: 390 minutes after a 30-minute lead-in; the insurers sell most on the worst minutes. The real Dow closes (one point per session) are drawn beside the run.',
    params: {
      ticks: 420, price0: 282, vol0: 0.2, dailyVolume: 2e10, dealers: 0, accounts: 0, gex: 0, insurers: 1000,
      insuredCapital: 2.2e10, cppiMultiplier: 5, cppiFloor: 0.85, cppiBand: 0.02, shock: 0.06, shockTicks: 60,
      shockStart: 30, valueCapital: 5e9, depthThinning: 0.5,
    },
    history: 'djia-1d-1987',
  },
  {
    name: 'luna-ust',
    title: 'LUNA/UST death spiral (May 2022): redemptions mint the token they sink',
    story:
      'A stablecoin redeemable for $1 of a governance token, minted on redemption. A fall in the token shakes confidence; holders sell the stablecoin below $1; arbitrageurs redeem it and sell the freshly minted token, which falls further, which shakes confidence more. UST lost its peg from 7 May ($0.985 on 8 May, $0.30 on 11 May, $0.13 on 13 May); LUNA went from about $87 to a fraction of a cent as its supply grew from about 1B to trillions. Three days of minutes here; no price path of LUNA is in the data set.',
    params: {
      ticks: 4320, price0: 80, vol0: 1, dailyVolume: 1e9, permanentImpact: 0.6, dealers: 0, accounts: 0, gex: 0,
      stableSupply: 1.8e10, redeemCap: 3e7, panicRate: 0.005, pegDepth: 3e8, shock: 0.1, shockTicks: 30,
      valueCapital: 3e8,
    },
  },
  {
    name: 'mitigated',
    title: 'The 10 Oct 2025 cascade with mitigations on: breaker, dynamic margin, options AMM, throttle',
    story:
      'The same crowded market and the same shock as the perp cascade, on the same seed, with the essay\u2019s protocol defences switched on: a CEX risk engine that throttles liquidations and keeps an insurance fund, a circuit breaker that halts trading on a 4% move in 5 minutes, margin that rises with volatility and negative GEX, and an options AMM that holds most of the book and hedges slowly. Compare its multiplier with the perp cascade\u2019s: each defence lowers it on its own, and switching any one of them off here raises it again.',
    params: { ...OCT_2025, venue: 'cex', liqThrottle: 5e8, breakerThreshold: 0.04, dynamicMargin: 2, ammShare: 0.7 },
    history: 'btc-1m-2025-10-10',
  },
  {
    name: 'real-chain',
    title: 'A real options book: dealers hold the Deribit BTC chain of 14 May 2020',
    story:
      'The dealer book is shaped by a real snapshot of Deribit\u2019s BTC options (310 instruments, 14 May 2020) instead of the stylized grid: open interest by strike and expiry decides where dealer positions sit, so the gamma profile and its flip level are the market\u2019s own. Most of that open interest sat in June and later expiries, where gamma is small, so the same shock meets less hedging pressure than in the stylized book.',
    params: { gex: -0.5 },
    chain: 'deribit-btc-2020-05-14',
  },
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
