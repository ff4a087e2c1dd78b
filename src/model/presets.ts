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
  ticks: 180,
  shockStart: 15,
  shock: 0.04,
  shockTicks: 3,
  perpOI: 2e10,
  leverage: 13,
  gex: -0.5,
  liqSpeed: 0.5,
  longShare: 0.75,
  entrySpread: 0.08,
  valueCapital: 8e9,
  valueBand: 0.06,
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
      'Customers have bought protection near the money, so dealers are short those puts, and the options market is large; further down, customers sold puts for yield, so there dealers are long gamma. A 4% sell program over three minutes starts the fall; each tick down pushes the near puts deeper in the money, and to stay delta-neutral dealers must sell more of the underlying, which pushes it lower: the gamma loop alone, with little leverage. The squeeze runs until the price reaches the level where dealers\u2019 gamma flips — where their long puts make them buy — and stops there, as the essay says. Returns trend and realized volatility rises, as Barbon and Buraschi\u2019s "gamma fragility" predicts; on the worst negative-gamma days Cboe measures about 3.3 points of extra daily volatility.',
    params: { gex: -0.3, leverage: 3, optionOI: 2e10, hedgeRate: 0.5, shock: 0.04, shockTicks: 3 },
  },
  {
    name: 'perp-cascade',
    title: 'Perp liquidation cascade (10–11 Oct 2025): crowded leveraged longs, bots liquidate within minutes',
    story:
      'Crowded longs at 13× average leverage (large accounts less, small ones more), dealers short gamma, and liquidation bots that close half the queue every minute. A 4% sell program over three minutes crosses the first liquidation prices; each liquidation is a market sell into a book that thins as volatility jumps, crossing the next, and the fall goes on for minutes after the program has stopped, until the liquidation map thins and buyers with $8B step in. On 10–11 Oct 2025 about $19B was liquidated across about 1.6M accounts, $3.2B of it within one minute, as BTC fell from about $122.6k to $104.8k (−14.5%); one venue\u2019s insurance fund paid about $188M and another auto-deleveraged. The real 1-minute BTC path is drawn beside the run.',
    params: OCT_2025,
    history: 'btc-1m-2025-10-10',
  },
  {
    name: 'defi-contagion',
    title: 'DeFi lending cascade with contagion (12 Mar 2020): one oracle reads the pool that liquidations sell into',
    story:
      'Borrowers hold ETH as collateral for stablecoin loans. Keepers liquidate unhealthy loans and sell the seized ETH into a thin DEX pool — and the one oracle every protocol shares reads that pool, so lending liquidations push the oracle down, which liquidates more loans: the shared wire makes one network of them. Keepers work the queue at a few million dollars a minute, an auction in seven clears at a zero bid, and outside buyers are few: the two-hour sell program starts a fall that the liquidations carry on for a whole day. On Black Thursday ETH fell over 40% in a day; Maker liquidated about ten times its lifetime volume in 24 hours, 36% of it (about $8.3M of ETH) at zero bids, leaving about 5.7M DAI of bad debt. The real hourly ETH path is drawn beside the run.',
    params: {
      ticks: 1800,
      price0: 195,
      vol0: 0.8,
      dailyVolume: 1e10,
      permanentImpact: 0.7,
      valueCapital: 3e8,
      perpOI: 3e9,
      leverage: 2,
      gex: -0.3,
      borrowers: 20000,
      lendingDebt: 3e10,
      loanHealth: 1.6,
      oracleMode: 'pool',
      liqThreshold: 0.8,
      keeperCapacity: 4.5e6,
      keeperFailure: 0.15,
      poolLiquidity: 3e8,
      arbSpeed: 0.2,
      shock: 0.2,
      shockTicks: 120,
    },
    history: 'eth-1h-2020-03',
  },
  {
    name: 'portfolio-insurance-1987',
    title: 'Portfolio insurance, 19 Oct 1987: CPPI sellers turn a decline into a crash',
    story:
      'No crypto leverage and no dealers: portfolio insurers hold a multiple of their cushion above a floor, so every fall makes them sell, which deepens the fall. On 19 Oct 1987 the Dow fell 22.6% in a day; insurers sold about $4B of futures, over 40% of futures volume, and their models called for about $12B more. Here the session of 19 Oct on a trading clock: 390 minutes from the open, an hour of opening sales, then the insurers sell all day as fast as the market takes their orders (about $12M a minute, $5B in all), and the fall runs into the close. The market\u2019s depth is scaled so that such sales move it as they did that day. The real Dow closes (one point per session) are drawn beside the run.',
    params: {
      ticks: 390,
      clock: 'session',
      price0: 282,
      vol0: 0.2,
      dailyVolume: 1e9,
      dealers: 0,
      accounts: 0,
      gex: 0,
      insurers: 1000,
      insuredCapital: 9e10,
      cppiMultiplier: 4,
      cppiFloor: 0.85,
      cppiCapacity: 1.2e7,
      cppiBand: 0.02,
      shock: 0.06,
      shockTicks: 60,
      shockStart: 0,
      valueCapital: 2e9,
      depthThinning: 1,
    },
    history: 'djia-1d-1987',
  },
  {
    name: 'luna-ust',
    title: 'LUNA/UST death spiral (May 2022): redemptions mint the token they sink',
    story:
      'A stablecoin redeemable for $1 of a governance token, minted on redemption. A fall in the token shakes confidence; holders sell the stablecoin below $1; arbitrageurs redeem it and sell the freshly minted token, which falls further, which shakes confidence more. UST lost its peg from 7 May ($0.985 on 8 May, $0.30 on 11 May, $0.13 on 13 May); LUNA went from about $87 to a fraction of a cent as its supply grew from about 1B to trillions. Three days of minutes here; no price path of LUNA is in the data set.',
    params: {
      ticks: 4320,
      price0: 80,
      vol0: 1,
      dailyVolume: 1e9,
      permanentImpact: 0.6,
      dealers: 0,
      accounts: 0,
      gex: 0,
      stableSupply: 1.8e10,
      redeemCap: 3e7,
      panicRate: 0.005,
      pegDepth: 3e8,
      shock: 0.1,
      shockTicks: 30,
      valueCapital: 3e8,
    },
  },
  {
    name: 'mitigated',
    title: 'The 10 Oct 2025 cascade with mitigations on: breaker, dynamic margin, options AMM, throttle',
    story:
      'The same crowded market and the same shock as the perp cascade, on the same seed, with the essay\u2019s protocol defences switched on: a CEX risk engine that throttles liquidations and keeps an insurance fund, a circuit breaker that halts trading on a 4% move in 5 minutes, margin that rises with volatility and negative GEX, and an options AMM that holds most of the book and hedges slowly. Compare its multiplier with the perp cascade\u2019s: each defence lowers it on its own; here, switching off the breaker, dynamic margin or the AMM raises it again, while the throttle has little left to do once dynamic margin has made the accounts safe.',
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
