/**
 * The parameter schema: the single table that defines every parameter of a run.
 *
 * It drives validation of untrusted input (URL, CLI flags, presets), the URL query, the CLI
 * flags, the UI controls and the engine's parameter block. Adding a parameter is one row here
 * plus its use in the engines, and one member of `enum P` in `assembly/layout.ts`, which lists
 * the keys in this table's order; test/unit/engine/layout.test.ts keeps the two in step.
 */

export type ParamGroup = 'Run' | 'Market' | 'Shock' | 'Dealers' | 'Leverage' | 'Lending' | 'Insurers' | 'Stablecoin' | 'Policies' | 'Loops';

interface ParamBase {
  /** Query-string key, CLI flag (`--key`) and property name. Never rename: links depend on it. */
  key: string;
  label: string;
  /** One or two plain sentences: what it is and what moving it does. */
  help: string;
  group: ParamGroup;
  /** Folded away in the UI unless the user opens "advanced". */
  advanced?: boolean;
  unit?: string;
}

export interface NumberParam extends ParamBase {
  type: 'int' | 'float';
  min: number;
  max: number;
  /** Smallest allowed value is exclusive (the range is (min, max]). */
  minExclusive?: boolean;
  default: number;
  /** Slider resolution. */
  step: number;
  /** Slider moves on a log scale (wide ranges such as dollar amounts). */
  log?: boolean;
}

export interface EnumParam extends ParamBase {
  type: 'enum';
  options: readonly string[];
  default: string;
}

export type ParamSpec = NumberParam | EnumParam;

export const SCHEMA = [
  // ── Run ────────────────────────────────────────────────────────────────────────────────
  {
    key: 'seed', type: 'int', group: 'Run', label: 'Seed', min: 0, max: 4294967295, default: 7, step: 1,
    help: 'Random seed. The same seed and parameters replay the same run, bit for bit, everywhere.',
  },
  {
    key: 'ticks', type: 'int', group: 'Run', label: 'Run length', unit: 'ticks', min: 10, max: 20000,
    default: 720, step: 10,
    help: 'Number of ticks to simulate. One tick is one minute of trading.',
  },
  {
    key: 'clock', type: 'enum', group: 'Run', label: 'Market clock', options: ['continuous', 'session'],
    default: 'continuous', advanced: true,
    help: 'continuous: the market trades around the clock (crypto: 525,600 minutes a year). session: an exchange that trades 390 minutes a day, 252 days a year; volatility, option expiries and the daily volume count trading minutes only.',
  },
  // ── Market ─────────────────────────────────────────────────────────────────────────────
  {
    key: 'price0', type: 'float', group: 'Market', label: 'Start price', unit: 'USD', min: 1, max: 1e6,
    default: 3000, step: 1, log: true, advanced: true,
    help: 'Price of the underlying asset at tick 0.',
  },
  {
    key: 'vol0', type: 'float', group: 'Market', label: 'Baseline volatility', unit: '/yr', min: 0.05, max: 3,
    default: 0.6, step: 0.01,
    help: 'Annualized volatility that noise traders alone produce, before any feedback.',
  },
  {
    key: 'dailyVolume', type: 'float', group: 'Market', label: 'Daily volume', unit: 'USD', min: 1e7, max: 1e12,
    default: 2e10, step: 1e7, log: true, advanced: true,
    help: 'Traded volume per day at normal depth: the liquidity scale of the impact law. Impact grows with order size relative to it.',
  },
  {
    key: 'impactLaw', type: 'enum', group: 'Market', label: 'Impact law', options: ['linear', 'sqrt'],
    default: 'linear', advanced: true,
    help: 'How the order flow pressing on the book moves the price: linear Kyle law (Δln S = λ·Q, λ = 10·Y·σ_daily/V) or the concave square-root law (Δln S = Y·σ_daily·√(Q/V)), which damps large cascades.',
  },
  {
    key: 'impactY', type: 'float', group: 'Market', label: 'Impact coefficient Y', min: 0.05, max: 5, default: 1,
    step: 0.05, advanced: true,
    help: 'Prefactor of the impact law; of order 1 in empirical studies (0.7 for equities, about 1 for Bitcoin).',
  },
  {
    key: 'impactHalfLife', type: 'int', group: 'Market', label: 'Book refill half-life', unit: 'ticks', min: 1,
    max: 100000, default: 30, step: 1, log: true, advanced: true,
    help: 'How fast the order book refills after a trade: the half-life of the transient part of price impact.',
  },
  {
    key: 'permanentImpact', type: 'float', group: 'Market', label: 'Permanent impact share', min: 0, max: 1,
    default: 0.3, step: 0.05, advanced: true,
    help: 'Share of every trade\u2019s price impact that never decays (information the market takes from the flow).',
  },
  {
    key: 'depthThinning', type: 'float', group: 'Market', label: 'Depth thinning', min: 0, max: 10, default: 0.3,
    step: 0.1,
    help: 'How fast order-book depth withdraws as realized and implied volatility rise above baseline: liquidity withdrawal is itself a loop.',
  },
  {
    key: 'volHalfLife', type: 'int', group: 'Market', label: 'Realized-vol half-life', unit: 'ticks', min: 2,
    max: 1440, default: 30, step: 1, advanced: true,
    help: 'Half-life of the exponentially weighted realized volatility.',
  },
  {
    key: 'ivSpeed', type: 'float', group: 'Market', label: 'Implied-vol catch-up', unit: '/tick', min: 0, max: 1,
    default: 0.05, step: 0.01, advanced: true,
    help: 'Share of the gap between implied volatility and the day\u2019s realized volatility closed each tick (the vega loop).',
  },
  {
    key: 'rate', type: 'float', group: 'Market', label: 'Interest rate r', unit: '/yr', min: -0.05, max: 0.5,
    default: 0, step: 0.005, advanced: true,
    help: 'Risk-free rate used in Black–Scholes–Merton.',
  },
  {
    key: 'dividend', type: 'float', group: 'Market', label: 'Carry yield q', unit: '/yr', min: -0.5, max: 0.5,
    default: 0, step: 0.005, advanced: true,
    help: 'Continuous yield of the underlying (staking yield or funding carry) used in Black–Scholes–Merton.',
  },
  {
    key: 'oracleDelay', type: 'int', group: 'Market', label: 'Oracle delay', unit: 'ticks', min: 0, max: 60,
    default: 1, step: 1, advanced: true,
    help: 'Ticks between a traded price and the oracle price that protocols use to mark positions (for a TWAP oracle: the averaging window).',
  },
  {
    key: 'oracleMode', type: 'enum', group: 'Market', label: 'Oracle source', options: ['venue', 'twap', 'pool'],
    default: 'venue',
    help: 'What the one oracle shared by perps and lending reads: the main venue\u2019s price, its time-weighted average, or the DEX pool where seized collateral is sold (contagion closes the loop).',
  },
  {
    key: 'oracleDeviation', type: 'float', group: 'Market', label: 'Oracle deviation threshold', min: 0, max: 0.2,
    default: 0, step: 0.001, advanced: true,
    help: 'The oracle publishes a new price only when its source has moved by more than this share (0: every tick).',
  },
  {
    key: 'valueCapital', type: 'float', group: 'Market', label: 'Value-trader capital', unit: 'USD', min: 0,
    max: 1e11, default: 2e9, step: 1e6, log: true, advanced: true,
    help: 'Finite capital of traders who buy below fair value: the external liquidity that can stop a cascade.',
  },
  {
    key: 'valueBand', type: 'float', group: 'Market', label: 'Value-trader threshold', min: 0.001, max: 0.5,
    default: 0.03, step: 0.001, advanced: true,
    help: 'Discount to fair value at which value traders start buying; their position then grows smoothly with the discount (63% of their capital at twice it, 95% at four times).',
  },
  // ── Shock ──────────────────────────────────────────────────────────────────────────────
  {
    key: 'shock', type: 'float', group: 'Shock', label: 'Shock size', min: 0, max: 0.5, default: 0.05, step: 0.005,
    help: 'The scripted sell program, sized as the fractional price drop it would cause on its own with every reflexive agent switched off.',
  },
  {
    key: 'shockStart', type: 'int', group: 'Shock', label: 'Shock start', unit: 'tick', min: 0, max: 20000,
    default: 60, step: 1, advanced: true,
    help: 'Tick at which the sell program starts.',
  },
  {
    key: 'shockTicks', type: 'int', group: 'Shock', label: 'Shock duration', unit: 'ticks', min: 1, max: 1000,
    default: 10, step: 1, advanced: true,
    help: 'Number of ticks over which the sell program is spread.',
  },
  // ── Dealers ────────────────────────────────────────────────────────────────────────────
  {
    key: 'dealers', type: 'int', group: 'Dealers', label: 'Dealers', min: 0, max: 1000000, default: 2000, step: 1,
    log: true,
    help: 'Number of option dealer agents, each with its own book, hedge band and participation rate.',
  },
  {
    key: 'gex', type: 'float', group: 'Dealers', label: 'Dealer gamma (GEX sign)', min: -1, max: 1, default: -0.5,
    step: 0.05,
    help: 'Which side of the customer book dealers hold. −1: short every option (they sell into dips and buy rallies). 0: the other side of the customers, who buy near puts for protection and sell calls and far puts for yield: short gamma just below spot, long above and far below, with a gamma flip on each side. +1: long every option, which damps moves. Dealers\u2019 net gamma at spot has the sign of this value.',
  },
  {
    key: 'optionOI', type: 'float', group: 'Dealers', label: 'Options open interest', unit: 'USD', min: 0,
    max: 1e11, default: 5e9, step: 1e6, log: true, advanced: true,
    help: 'Notional of the options dealers hold across the strike × expiry grid.',
  },
  {
    key: 'hedgeBand', type: 'float', group: 'Dealers', label: 'Hedge band', min: 0, max: 0.5, default: 0.02,
    step: 0.005, advanced: true,
    help: 'Dealers re-hedge only when their delta drifts by more than this share of their book.',
  },
  {
    key: 'hedgeRate', type: 'float', group: 'Dealers', label: 'Hedge participation', unit: '/tick', min: 0.01,
    max: 1, default: 0.3, step: 0.01, advanced: true,
    help: 'Average share of the hedge gap a dealer trades each tick once past its band.',
  },
  {
    key: 'dealerCapital', type: 'float', group: 'Dealers', label: 'Dealer capital', unit: 'USD', min: 1e6, max: 1e11,
    default: 3e8, step: 1e6, log: true, advanced: true,
    help: 'Capital of all dealers together; each dealer\u2019s loss limit is a share of its part.',
  },
  {
    key: 'lossLimit', type: 'float', group: 'Dealers', label: 'Dealer loss limit', min: 0.01, max: 1, default: 0.1,
    step: 0.01, advanced: true,
    help: 'Loss, as a share of its capital, past which a dealer that is short vega buys options back from other liquidity providers, paying the price its demand lifts (the vega loop).',
  },
  {
    key: 'ivDemand', type: 'float', group: 'Dealers', label: 'Option-demand vol impact', min: 0, max: 2, default: 0.5,
    step: 0.05, advanced: true,
    help: 'Implied volatility added when dealers buy back options, per share of the book\u2019s vega bought back.',
  },
  // ── Leverage ───────────────────────────────────────────────────────────────────────────
  {
    key: 'accounts', type: 'int', group: 'Leverage', label: 'Perp accounts', min: 0, max: 2000000, default: 50000,
    step: 1, log: true,
    help: 'Number of leveraged perpetual-futures accounts.',
  },
  {
    key: 'leverage', type: 'float', group: 'Leverage', label: 'Leverage', unit: '×', min: 1, max: 100, default: 10,
    step: 0.5,
    help: 'Mean leverage of the perp accounts (each account draws its own around it, with a tail to 100×).',
  },
  {
    key: 'perpOI', type: 'float', group: 'Leverage', label: 'Perp open interest', unit: 'USD', min: 0, max: 1e11,
    default: 1e10, step: 1e6, log: true, advanced: true,
    help: 'Total notional of the leveraged perp accounts.',
  },
  {
    key: 'longShare', type: 'float', group: 'Leverage', label: 'Long share', min: 0, max: 1, default: 0.7,
    step: 0.01, advanced: true,
    help: 'Share of perp accounts that are long. Crowded longs fuel a downside cascade.',
  },
  {
    key: 'entrySpread', type: 'float', group: 'Leverage', label: 'Entry dispersion', min: 0, max: 0.3,
    default: 0.03, step: 0.005, advanced: true,
    help: 'Spread of entry prices around the start price (log standard deviation): how spread out the liquidation map is.',
  },
  {
    key: 'maintMargin', type: 'float', group: 'Leverage', label: 'Maintenance margin', min: 0.001, max: 0.2,
    default: 0.005, step: 0.001, advanced: true,
    help: 'Equity as a share of position value below which an account is liquidated.',
  },
  {
    key: 'liqSpeed', type: 'float', group: 'Leverage', label: 'Liquidation speed', unit: '/tick', min: 0,
    minExclusive: true, max: 1, default: 0.5, step: 0.01,
    help: 'Share of the liquidation queue executed each tick. 1: bots liquidate everything at once; small: a risk engine works it off slowly.',
  },
  {
    key: 'liqBonus', type: 'float', group: 'Leverage', label: 'Liquidation bonus', min: 0, max: 0.2, default: 0.01,
    step: 0.005, advanced: true,
    help: 'Share of the liquidated notional paid to the liquidator out of the account\u2019s remaining margin.',
  },
  {
    key: 'venue', type: 'enum', group: 'Leverage', label: 'Liquidation venue', options: ['dex', 'cex'], default: 'dex',
    help: 'dex: public bots liquidate for a bonus and bad debt is left when the price gaps past bankruptcy. cex: a risk engine keeps the remaining margin in an insurance fund and pays shortfalls from it; what the fund cannot pay is auto-deleveraged (closed against profitable traders at the bankruptcy price), so no bad debt is left.',
  },
  {
    key: 'insuranceFund', type: 'float', group: 'Leverage', label: 'Insurance fund', unit: 'USD', min: 0, max: 1e11,
    default: 2e8, step: 1e6, log: true, advanced: true,
    help: 'Starting balance of the CEX insurance fund.',
  },
  // ── Lending ────────────────────────────────────────────────────────────────────────────
  {
    key: 'borrowers', type: 'int', group: 'Lending', label: 'Borrowers', min: 0, max: 1000000, default: 0, step: 1,
    log: true,
    help: 'Number of DeFi borrowers with collateral in the asset and stablecoin debt, marked by the shared oracle (0: no lending market).',
  },
  {
    key: 'lendingDebt', type: 'float', group: 'Lending', label: 'Stablecoin debt', unit: 'USD', min: 0, max: 1e11,
    default: 3e9, step: 1e6, log: true,
    help: 'Total stablecoin debt of the borrowers.',
  },
  {
    key: 'loanHealth', type: 'float', group: 'Lending', label: 'Median health factor', min: 1.05, max: 5,
    default: 1.8, step: 0.05, advanced: true,
    help: 'Median health factor of the loans at the start (collateral × threshold ÷ debt); loans spread log-normally above 1. Maker vaults in March 2020 held about 2.5.',
  },
  {
    key: 'liqThreshold', type: 'float', group: 'Lending', label: 'Liquidation threshold', min: 0.3, max: 0.98,
    default: 0.825, step: 0.005, advanced: true,
    help: 'A loan is liquidated when its debt exceeds this share of its collateral\u2019s oracle value (health factor below 1).',
  },
  {
    key: 'closeFactor', type: 'float', group: 'Lending', label: 'Close factor', min: 0.05, max: 1, default: 0.5,
    step: 0.05, advanced: true,
    help: 'Share of a loan\u2019s debt a keeper may repay in one liquidation.',
  },
  {
    key: 'lendingBonus', type: 'float', group: 'Lending', label: 'Lending liquidation bonus', min: 0, max: 0.3,
    default: 0.05, step: 0.005, advanced: true,
    help: 'Extra collateral a keeper seizes on top of the debt it repays.',
  },
  {
    key: 'keeperCapacity', type: 'float', group: 'Lending', label: 'Keeper capacity', unit: 'USD/tick', min: 1e5,
    max: 1e11, default: 1e9, step: 1e5, log: true, advanced: true,
    help: 'Most debt keepers can repay per tick: congested chains and thin keeper capital slow liquidations down.',
  },
  {
    key: 'keeperFailure', type: 'float', group: 'Lending', label: 'Keeper failure rate', min: 0, max: 1, default: 0,
    step: 0.01,
    help: 'Chance that a liquidation auction clears at a zero bid (Black Thursday, 12 Mar 2020): the collateral is lost and the debt becomes bad debt.',
  },
  {
    key: 'poolLiquidity', type: 'float', group: 'Lending', label: 'DEX pool liquidity', unit: 'USD', min: 1e6, max: 1e11,
    default: 3e8, step: 1e6, log: true, advanced: true,
    help: 'Value of each side of the constant-product pool (x·y = k) where seized collateral is sold.',
  },
  {
    key: 'arbSpeed', type: 'float', group: 'Lending', label: 'Arbitrage speed', unit: '/tick', min: 0.01, max: 1,
    default: 0.2, step: 0.01, advanced: true,
    help: 'Share of the gap between the pool and the main venue that arbitrageurs close each tick (selling what they buy from the pool on the venue).',
  },
  // ── Insurers (1987) ────────────────────────────────────────────────────────────────────
  {
    key: 'insurers', type: 'int', group: 'Insurers', label: 'Portfolio insurers', min: 0, max: 100000, default: 0,
    step: 1, log: true,
    help: 'Number of CPPI portfolio insurers: they hold multiplier × (value − floor) in the asset and sell into declines, as in October 1987.',
  },
  {
    key: 'insuredCapital', type: 'float', group: 'Insurers', label: 'Insured capital', unit: 'USD', min: 0, max: 1e12,
    default: 5e9, step: 1e6, log: true,
    help: 'Total portfolio value managed with portfolio insurance.',
  },
  {
    key: 'cppiMultiplier', type: 'float', group: 'Insurers', label: 'CPPI multiplier', min: 1, max: 10, default: 4,
    step: 0.5, advanced: true,
    help: 'Exposure = multiplier × cushion (value above the floor).',
  },
  {
    key: 'cppiFloor', type: 'float', group: 'Insurers', label: 'CPPI floor', min: 0, max: 0.99, default: 0.85,
    step: 0.01, advanced: true,
    help: 'Protected value as a share of the starting portfolio.',
  },
  {
    key: 'cppiCapacity', type: 'float', group: 'Insurers', label: 'Insurers\u2019 execution capacity', unit: 'USD/tick',
    min: 0, max: 1e11, default: 0, step: 1e5, log: true, advanced: true,
    help: 'Most the insurers can trade per tick in all (0: no limit); each trades its share of it. In 1987 the futures market could not take what the insurers\u2019 models asked: they sold about $4B that day while the models called for $12B more.',
  },
  {
    key: 'cppiBand', type: 'float', group: 'Insurers', label: 'CPPI rebalance band', min: 0, max: 0.5, default: 0.03,
    step: 0.005, advanced: true,
    help: 'Insurers rebalance when their exposure is off target by more than this share.',
  },
  // ── Stablecoin (LUNA/UST) ──────────────────────────────────────────────────────────────
  {
    key: 'stableSupply', type: 'float', group: 'Stablecoin', label: 'Reflexive stablecoin supply', unit: 'USD',
    min: 0, max: 1e11, default: 0, step: 1e6, log: true,
    help: 'Supply of a stablecoin redeemable for $1 of the asset, minted on redemption (the LUNA/UST design). 0: none.',
  },
  {
    key: 'redeemCap', type: 'float', group: 'Stablecoin', label: 'Redemption capacity', unit: 'USD/tick', min: 0,
    max: 1e11, default: 5e7, step: 1e5, log: true, advanced: true,
    help: 'Most stablecoins the protocol redeems per tick.',
  },
  {
    key: 'panicRate', type: 'float', group: 'Stablecoin', label: 'Run rate', unit: '/tick', min: 0, max: 0.05,
    default: 0.002, step: 0.0005, advanced: true,
    help: 'Share of the supply that holders try to sell each tick once confidence is gone.',
  },
  {
    key: 'pegDepth', type: 'float', group: 'Stablecoin', label: 'Peg pool depth', unit: 'USD', min: 1e6, max: 1e11,
    default: 1e9, step: 1e6, log: true, advanced: true,
    help: 'Liquidity that absorbs stablecoin sales before the peg gives way.',
  },
  // ── Policies (mitigations) ─────────────────────────────────────────────────────────────
  {
    key: 'breakerThreshold', type: 'float', group: 'Policies', label: 'Circuit breaker', min: 0, max: 0.5,
    default: 0, step: 0.005,
    help: 'Halt trading when the price moves by more than this share within the breaker window (0: no breaker). Nothing trades while halted: the sell program pauses, the liquidation queue waits, margin-called traders can still post collateral, and the book refills.',
  },
  {
    key: 'breakerWindow', type: 'int', group: 'Policies', label: 'Breaker window', unit: 'ticks', min: 1, max: 240,
    default: 5, step: 1, advanced: true,
    help: 'Ticks over which the breaker measures the move.',
  },
  {
    key: 'breakerHalt', type: 'int', group: 'Policies', label: 'Halt length', unit: 'ticks', min: 1, max: 240,
    default: 15, step: 1, advanced: true,
    help: 'Ticks a halt lasts.',
  },
  {
    key: 'dynamicMargin', type: 'float', group: 'Policies', label: 'Dynamic margin', min: 0, max: 5, default: 0,
    step: 0.1,
    help: 'Maintenance margin rises by this strength with realized volatility beyond 1.5× baseline and with dealers\u2019 short gamma beyond 1% of daily volume per 1% move (0: fixed margin; a calm market never moves it). Called traders post collateral for half of what they miss and sell down the rest, instead of being liquidated all at once later.',
  },
  {
    key: 'ammShare', type: 'float', group: 'Policies', label: 'Options AMM share', min: 0, max: 1, default: 0,
    step: 0.05,
    help: 'Share of the options open interest held by an options AMM instead of dealers: it hedges slowly and quotes implied vol that rises with hedge demand and negative GEX.',
  },
  {
    key: 'liqThrottle', type: 'float', group: 'Policies', label: 'Liquidation throttle', unit: 'USD/tick', min: 0,
    max: 1e11, default: 0, step: 1e6,
    help: 'Most perp notional liquidated per tick (0: no cap): a risk engine that slows the cascade.',
  },
  // ── Loops (switches: `off` removes one feedback loop from the run, everything else equal) ──
  {
    key: 'loopDealers', type: 'enum', group: 'Loops', label: 'Dealers\u2019 gamma hedging', options: ['on', 'off'],
    default: 'on',
    help: 'off: option dealers, the options AMM and the providers who took over bought-back options never re-hedge; they keep the hedge they start with (the gamma loop is cut).',
  },
  {
    key: 'loopVega', type: 'enum', group: 'Loops', label: 'Vega loop', options: ['on', 'off'], default: 'on',
    help: 'off: implied volatility neither chases realized volatility nor rises with dealers\u2019 option buy-backs (as ivSpeed 0 and ivDemand 0).',
  },
  {
    key: 'loopPerps', type: 'enum', group: 'Loops', label: 'Perp liquidations', options: ['on', 'off'], default: 'on',
    help: 'off: the perp accounts hold no positions, so nothing is liquidated or margin-called (as perpOI 0; the same accounts are drawn).',
  },
  {
    key: 'loopLending', type: 'enum', group: 'Loops', label: 'Lending and the oracle', options: ['on', 'off'],
    default: 'on',
    help: 'off: the borrowers owe nothing, so no collateral is seized and sold into the pool the oracle may read (as lendingDebt 0).',
  },
  {
    key: 'loopInsurers', type: 'enum', group: 'Loops', label: 'Portfolio insurers', options: ['on', 'off'],
    default: 'on',
    help: 'off: the portfolio insurers manage no capital, so none sells into the decline (as insuredCapital 0).',
  },
  {
    key: 'loopStablecoin', type: 'enum', group: 'Loops', label: 'Reflexive stablecoin', options: ['on', 'off'],
    default: 'on',
    help: 'off: there is no reflexive stablecoin to redeem and mint the asset (as stableSupply 0).',
  },
  {
    key: 'loopDepth', type: 'enum', group: 'Loops', label: 'Depth withdrawal', options: ['on', 'off'], default: 'on',
    help: 'off: order-book depth stays normal however volatile the market gets (as depthThinning 0).',
  },
] as const satisfies readonly ParamSpec[];

export type ParamKey = (typeof SCHEMA)[number]['key'];

/** A full, valid parameter set. Enum parameters hold their option name. */
export type Params = { [K in ParamKey]: Extract<(typeof SCHEMA)[number], { key: K }> extends { type: 'enum' } ? string : number };

export const PARAM_KEYS: readonly ParamKey[] = SCHEMA.map((p) => p.key);

const BY_KEY = new Map<string, ParamSpec>(SCHEMA.map((p) => [p.key, p as ParamSpec]));

export function paramSpec(key: string): ParamSpec | undefined {
  return BY_KEY.get(key);
}

export function defaultParams(): Params {
  return Object.fromEntries(SCHEMA.map((p) => [p.key, p.default])) as Params;
}

/** The allowed range in words, as it appears in every error message and notice. */
export function describeRange(spec: ParamSpec): string {
  if (spec.type === 'enum') return `one of ${spec.options.join(', ')}`;
  const kind = spec.type === 'int' ? 'an integer' : 'a number';
  const open = spec.minExclusive ? '(' : '[';
  return `${kind} in ${open}${fmt(spec.min)}, ${fmt(spec.max)}]`;
}

/** Large round numbers as `2e10`, others as written: `4294967295`, not `4.294967295e9`. */
function fmt(x: number): string {
  const exponential = x.toExponential().replace('+', '');
  return Math.abs(x) >= 1e6 && exponential.length < String(x).length ? exponential : String(x);
}

/**
 * The engine's parameter block: every parameter as an f64, in schema order, enums as the index
 * of their option. Both engines read parameters only from this block.
 */
export function toEngineBlock(params: Params): Float64Array {
  const block = new Float64Array(SCHEMA.length);
  SCHEMA.forEach((spec, i) => {
    const value = params[spec.key as ParamKey];
    block[i] = spec.type === 'enum' ? (spec.options as readonly string[]).indexOf(value as string) : (value as number);
  });
  for (const [loop, values] of Object.entries(SWITCHED_OFF)) {
    if (params[loop as ParamKey] !== 'off') continue;
    for (const [key, value] of Object.entries(values)) block[INDEX.get(key)!] = value;
  }
  return block;
}

/**
 * The loop switches an existing parameter's value already expresses: the engines never read
 * these switches, the block carries the value instead (so both engines stay one code path).
 * `loopDealers` has no such value and is read by the engines themselves (the price solve).
 */
const SWITCHED_OFF: Partial<Record<ParamKey, Partial<Record<ParamKey, number>>>> = {
  loopVega: { ivSpeed: 0, ivDemand: 0 },
  loopPerps: { perpOI: 0 },
  loopLending: { lendingDebt: 0 },
  loopInsurers: { insuredCapital: 0 },
  loopStablecoin: { stableSupply: 0 },
  loopDepth: { depthThinning: 0 },
};

const INDEX = new Map<string, number>(SCHEMA.map((p, i) => [p.key, i]));
