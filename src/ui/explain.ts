/**
 * The page's words about a run, as pure functions of its parameters, its summary and its flows:
 * the headline sentence (what is about to happen before the shock; after it, which mechanisms
 * moved the price, in the order of their share of the pressure, and how much deeper the feedback
 * made the fall) and why the multiplier changed since the previous run (each changed parameter
 * weighed alone when there are a few, "several changes" otherwise).
 */
import {
  MIN_COUNTERFACTUAL_DRAWDOWN,
  type FallPressure,
  type Pressure,
  type PressureSource,
  type Summary,
} from '../model/summary.ts';
import { SCHEMA, type ParamKey, type ParamSpec, type Params } from '../model/schema.ts';
import { formatMinutes, formatMultiplier, formatPercent, formatUsd } from './format.ts';
import { mechanismsOf } from './mechanisms.ts';

export interface RunRecord {
  params: Params;
  summary: Summary;
  /** What the dealers' options book was, when it was not the stylized grid (it changes the run too). */
  book?: string;
}

export interface ParamChange {
  key: ParamKey | 'book';
  /** "leverage rose from 10× to 20×" */
  phrase: string;
}

/** Relative change of the multiplier below which it reads as "about the same". */
const SAME_MULTIPLIER = 0.01;
/** At most this many changes are weighed one at a time (each is a run in the background); more read as "several changes". */
export const WEIGHED_CHANGES = 4;

/** Whether two multipliers read as "about the same": within SAME_MULTIPLIER of the first, relatively. */
export function aboutTheSame(first: number, second: number): boolean {
  return Math.abs(second - first) / Math.max(first, 1e-9) < SAME_MULTIPLIER;
}

/** A parameter value as the reader knows it: "20×", "$5B", "0.5 /tick", "sqrt". */
export function formatParam(spec: ParamSpec, value: number | string): string {
  if (typeof value === 'string') return value;
  if (spec.unit === 'USD') return formatUsd(value);
  // A real minus sign: "−0.5" reads better than a hyphen.
  const shown = String(Number(value.toPrecision(6))).replace('-', '−');
  if (!spec.unit) return shown;
  return spec.unit === '×' ? `${shown}×` : `${shown} ${spec.unit}`;
}

/** A label inside a sentence: "Leverage" → "leverage", but "GEX …" stays. */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

/** Every parameter that differs between two runs, in schema order, the seed last. */
export function paramChanges(before: Params, after: Params): ParamChange[] {
  const changes: ParamChange[] = [];
  for (const row of SCHEMA) {
    const spec = row as ParamSpec;
    const key = spec.key as ParamKey;
    const from = before[key];
    const to = after[key];
    if (from === to) continue;
    const verb = typeof from === 'number' && typeof to === 'number' ? (to > from ? 'rose' : 'fell') : 'changed';
    const phrase =
      key === 'seed'
        ? `the seed changed from ${from} to ${to} (different random noise)`
        : `${inSentence(spec.label)} ${verb} from ${formatParam(spec, from)} to ${formatParam(spec, to)}`;
    changes.push({ key, phrase });
  }
  return changes.sort((a, b) => Number(a.key === 'seed') - Number(b.key === 'seed'));
}

/** Every change between two runs, the options book first when it changed. */
export function runChanges(previous: RunRecord, current: RunRecord): ParamChange[] {
  const changes = paramChanges(previous.params, current.params);
  if (previous.book !== current.book) {
    const phrase = `the dealers’ options book changed from ${previous.book ?? 'the stylized grid'} to ${current.book ?? 'the stylized grid'}`;
    changes.unshift({ key: 'book', phrase });
  }
  return changes;
}

/** "a", "a and b", "a, b and c". */
export function listPhrases(phrases: readonly string[]): string {
  return phrases.length <= 1 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/** A signed change of the multiplier: "+0.85×", "−0.10×". */
function signedMultiplier(delta: number): string {
  return `${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(2)}×`;
}

/**
 * One or two sentences on how the multiplier moved from `previous` to `current` and which
 * changes did it; undefined when nothing changed (a replay says nothing new). `alone` holds,
 * for some or all changes (by key), the multiplier of the previous run with that change alone:
 * the changes are then ranked by their effect. With more than WEIGHED_CHANGES changes none are
 * weighed: the sentence says so instead of listing them in an order that would mean nothing.
 */
export function explainChange(
  previous: RunRecord,
  current: RunRecord,
  alone?: Readonly<Record<string, number>>,
): string | undefined {
  const changes = runChanges(previous, current);
  if (changes.length === 0) return undefined;
  const before = previous.summary.feedbackMultiplier;
  const after = current.summary.feedbackMultiplier;
  const same = aboutTheSame(before, after);
  const opening = same
    ? `About the same as the previous run (${formatMultiplier(before)})`
    : `${after > before ? 'Up' : 'Down'} from ${formatMultiplier(before)} in the previous run`;
  if (changes.length === 1) return `${opening}, ${same ? 'although' : 'because'} ${changes[0].phrase}.`;
  if (changes.length > WEIGHED_CHANGES)
    return `${opening}, after several changes at once (${changes.length}): too many to weigh one by one. Change one thing at a time to see what each does.`;
  const weighed = changes.filter((c) => alone !== undefined && Number.isFinite(alone[c.key]));
  if (weighed.length < changes.length)
    return `${opening}, after ${changes.length} changes: ${listPhrases(changes.map((c) => c.phrase))} (weighing each one alone…).`;
  const ranked = weighed
    .map((c) => ({ ...c, effect: alone![c.key] - before }))
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  const parts = ranked.map((c) => `${c.phrase} (${signedMultiplier(c.effect)})`);
  return `${opening}. Each change alone, largest effect first: ${listPhrases(parts)}.`;
}

// ── The headline ──────────────────────────────────────────────────────────────────────────────

/** Where the run shown stands against its sell program. */
export type Phase = 'before' | 'during' | 'after';

export function phaseOf(params: Params, tick: number): Phase {
  const start = params.shockStart as number;
  // The program's first sale is recorded at tick start + 1 (a tick's flows land at its end).
  if (tick <= start) return 'before';
  return tick < start + (params.shockTicks as number) ? 'during' : 'after';
}

/** Whether the headline may show the multiplier at `tick`: once the sell program has run (or at once without one). */
export function multiplierShown(params: Params, tick: number): boolean {
  return (params.shock as number) === 0 ? tick > (params.shockStart as number) : phaseOf(params, tick) === 'after';
}

/** What pushed the price, in the reader's words (the pool carries lending's sales only where there is lending). */
function sourceName(source: PressureSource, params: Params): string {
  const lending = mechanismsOf(params).has('lending');
  const names: Record<PressureSource, string> = {
    shock: 'the sell program',
    dealers: 'dealers’ hedging',
    amm: 'the options AMM’s hedging',
    perps: 'perp liquidations',
    marginCalls: 'margin-call sales',
    pool: lending ? 'lending liquidations via the DEX pool' : 'pool arbitrage',
    insurers: 'portfolio insurers',
    stablecoin: 'redemptions minting and selling the token',
    value: 'value traders',
  };
  return names[source];
}

/** A party is named when it put at least this share of the pressure on the price (or of the selling against it). */
const NAMED_SHARE = 0.03;
/** At most this many sellers are named, the rest summed. */
const NAMED_SELLERS = 4;
/** A book thinner than this during the fall is named: it made every sale press harder. */
const THIN_BOOK = 0.9;

/**
 * Who moved the price down in the fall, largest share of the pressure first, the book they
 * sold into, and who bought against it: "Perp liquidations (39% of the pressure) drove the
 * fall, then the sell program (35%) …, into a book thinned to 40% of its depth; value traders
 * bought $2.4B against it."
 */
export function pressurePhrase({ parties, thinnestDepth }: FallPressure, params: Params): string | undefined {
  const sellers = parties.filter((p) => p.pressure < 0);
  const total = sellers.reduce((s, p) => s - p.pressure, 0);
  if (total <= 0) return undefined;
  const named = sellers.filter((p) => -p.pressure / total >= NAMED_SHARE).slice(0, NAMED_SELLERS);
  const share = (p: Pressure): number => Math.round((-100 * p.pressure) / total);
  const parts = named.map((p, i) =>
    share(p) === 100
      ? `${sourceName(p.source, params)} (all of the pressure)`
      : `${sourceName(p.source, params)} (${share(p)}%${i === 0 ? ' of the pressure' : ''})`,
  );
  const rest = total + named.reduce((s, p) => s + p.pressure, 0);
  if (rest / total >= 0.005) parts.push(`the rest (${Math.round((100 * rest) / total)}%)`);
  const [first, ...others] = parts;
  const book =
    thinnestDepth < THIN_BOOK ? `, into a book thinned to ${Math.round(100 * thinnestDepth)}% of its depth` : '';
  const drivers = `${first} drove the fall${others.length > 0 ? `, then ${listPhrases(others)}` : ''}${book}`;
  const buyers = parties
    .filter((p) => p.pressure > 0 && p.pressure / total >= NAMED_SHARE)
    .sort((a, b) => b.pressure - a.pressure)
    .slice(0, 2)
    .map((p, i) => `${sourceName(p.source, params)} ${i === 0 ? 'bought ' : ''}${formatUsd(p.usd)}`);
  const sentence = buyers.length > 0 ? `${drivers}; ${listPhrases(buyers)} against it` : drivers;
  return sentence[0].toUpperCase() + sentence.slice(1);
}

/** The feedback loops this run has, in a phrase: "dealers short gamma, $10B of perps at 10× …". */
export function setupPhrase(params: Params): string {
  const on = mechanismsOf(params);
  const parts: string[] = [];
  if (on.has('dealers')) {
    const g = params.gex as number;
    const side = g < 0 ? 'short gamma' : g > 0 ? 'long gamma' : 'on the customers’ other side';
    parts.push(`dealers ${side} on ${formatUsd(params.optionOI as number)} of options`);
  }
  if (on.has('perps'))
    parts.push(
      `${formatUsd(params.perpOI as number)} of perps at ${formatParam(paramSpecOf('leverage'), params.leverage)} leverage, liquidated at ${Math.round(100 * (params.liqSpeed as number))}% of the queue a minute`,
    );
  if (on.has('lending'))
    parts.push(
      `${formatUsd(params.lendingDebt as number)} of loans marked by ${params.oracleMode === 'pool' ? 'the DEX pool' : 'the oracle'}`,
    );
  if (on.has('insurers')) parts.push(`portfolio insurers on ${formatUsd(params.insuredCapital as number)}`);
  if (on.has('stablecoin')) parts.push(`a ${formatUsd(params.stableSupply as number)} reflexive stablecoin`);
  return parts.length > 0 ? listPhrases(parts) : 'no feedback loops at all (every reflexive trader is off)';
}

function paramSpecOf(key: ParamKey): ParamSpec {
  return SCHEMA.find((s) => s.key === key) as ParamSpec;
}

/** "a 5% sell program over 10m" */
function programPhrase(params: Params): string {
  return `a ${formatPercent(params.shock as number).replace('.0%', '%')} sell program over ${formatMinutes(params.shockTicks as number)}`;
}

export interface HeadlineInput {
  params: Params;
  /** The summary up to the tick shown. */
  summary: Summary;
  /** What pushed the price over the run's worst fall so far (`fallPressure`). */
  pressure: FallPressure;
  /** Whether the run has reached its end. */
  done: boolean;
  /** The cursor tick when scrubbed back, else undefined. */
  at?: number;
}

/** The headline's sentence: what is about to happen, what is happening, or what moved the price and by how much the feedback deepened the fall. */
export function headlineSentence({ params, summary, pressure, done, at }: HeadlineInput): string {
  const tick = summary.ticks;
  const start = params.shockStart as number;
  const phase = phaseOf(params, tick);
  if ((params.shock as number) > 0 && phase === 'before') {
    if (start > (params.ticks as number))
      return `The run ends before its sell program would start (at ${formatMinutes(start)}): there is no shock to measure.`;
    const when =
      tick === start ? 'Now' : tick === 0 ? `At ${formatMinutes(start)}` : `In ${formatMinutes(start - tick)}`;
    return `${when}, ${programPhrase(params)} hits a market with ${setupPhrase(params)}. The multiplier is measured once the program has run.`;
  }
  const run = summary.maxDrawdown;
  const alone = summary.counterfactualDrawdown;
  if ((params.shock as number) > 0 && phase === 'during') {
    return `The sell program is under way (${formatMinutes(tick - start)} of ${formatMinutes(params.shockTicks as number)}): so far the price is down ${formatPercent(run)}, without the feedback loops ${formatPercent(alone)}. The multiplier is measured once the program has run.`;
  }
  const opening = at !== undefined ? `By ${formatMinutes(at)}, ` : done ? '' : 'So far, ';
  // Past the shock window (a day after the program), later falls no longer count: say so.
  const window =
    summary.windowEnd < tick ? ` within ${params.clock === 'session' ? 'a session' : 'a day'} of the sell program` : '';
  const drivers = pressurePhrase(pressure, params);
  const fell = `${opening}the price fell ${formatPercent(run)} at worst${window}; the same shock without the feedback loops, ${formatPercent(alone)}.`;
  const capitalized = fell[0].toUpperCase() + fell.slice(1);
  const driven = drivers ? ` ${drivers}.` : '';
  if (alone < MIN_COUNTERFACTUAL_DRAWDOWN)
    return `${capitalized}${driven} Without feedback the price barely fell, so the multiplier measures against a ${formatPercent(MIN_COUNTERFACTUAL_DRAWDOWN)} floor.`;
  const m = summary.feedbackMultiplier;
  const verdict =
    m >= 1.05
      ? `The feedback made the fall ${m < 10 ? m.toFixed(2) : m.toFixed(1)} times as deep.`
      : m <= 0.95
        ? 'Here the feedback cushioned the fall.'
        : 'Here the feedback barely changed the fall.';
  return `${capitalized}${driven} ${verdict}`;
}

/** The multiplier's definition under the headline, naming the reflexive traders this run has. */
export function definitionOf(params: Params): string {
  const on = mechanismsOf(params);
  const traders = [
    on.has('dealers') ? 'hedging dealers' : undefined,
    on.has('amm') ? 'the options AMM' : undefined,
    on.has('perps') ? 'perp liquidations and margin calls' : undefined,
    on.has('lending') ? 'lending liquidations' : undefined,
    on.has('insurers') ? 'portfolio insurers' : undefined,
    on.has('stablecoin') ? 'the stablecoin’s redemptions' : undefined,
  ].filter((t): t is string => t !== undefined);
  const off =
    traders.length > 0
      ? `every reflexive trader (${listPhrases(traders)}) and depth thinning switched off`
      : 'depth thinning switched off (this run has no reflexive traders)';
  const day = params.clock === 'session' ? 'one session' : 'one day';
  return `The multiplier divides the run's worst fall by the counterfactual's: same seed, same shock, ${off}. Both falls are measured from the sell program's start to ${day} after it ends, so a longer run does not dilute them with later noise. 1× means the feedback added nothing; 3× means it made the fall three times as deep.`;
}
