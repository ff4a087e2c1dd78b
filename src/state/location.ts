/**
 * The page's address bar: the run's parameters live in the query (through `./url.ts`), plus
 * page entries that are not parameters and never reach the parameter parser. Every key of a
 * link is named in this folder, so a new one cannot clash with another unseen: the page entries
 * are the rows of `PAGE_KEYS` (`./page-keys.ts`), the one list the page and the CLI both read.
 *
 * Page entries:
 * - `frozen=1`: every run is computed to its end at once, without animation, so the page
 *   settles in a deterministic state (browser tests and screenshots use it). Moving a control
 *   still starts a new run, which also completes at once. The flag stays in the address bar.
 * - `chain=<id>`: the dealer book is a real options chain (see `src/model/chains.ts`) instead of the
 *   stylized grid; it changes the run, so it travels with the parameters.
 * - `history=<id>`: a real crash's price path is drawn beside the run.
 * - `compare=1`: the A/B mode is on. Run B is run A with the overrides written as
 *   `b.<key>=<value>` (only the parameters where B differs from A), read through the same
 *   parser as A's, so a bad B value gets the same notice (prefixed "Run B") and fallback.
 * - `preset=<name>`: the preset's parameters, chain and price history under the link's own
 *   (defaults < preset < the link's parameters), so a short link names a scenario.
 * - `embed=1` and its flags `charts=`, `controls=`, `autoplay=1`, `theme=`: the page is the
 *   embeddable widget (read by `./embed.ts`; the parameter parser never sees them).
 */
import { CHAINS, isChainId, type ChainId } from '../model/chains.ts';
import { HISTORY_PATHS, isHistoryId, type HistoryId } from '../model/history.ts';
import { PRESETS, findPreset, type Preset } from '../model/presets.ts';
import { PARAM_KEYS, defaultParams, paramSpec, type ParamKey, type Params } from '../model/schema.ts';
import { ParamError, quoteInput, visibleInput, type Notice } from '../model/validate.ts';
import {
  B_PREFIX,
  CHAIN_KEY,
  COMPARE_FLAG,
  CURSOR_KEY,
  FROZEN_FLAG,
  HISTORY_KEY,
  PRESET_KEY,
  STRESS_KEY,
  pageKeyOf,
} from './page-keys.ts';
import {
  VERSION_KEY,
  capNotices,
  decodeEntries,
  decodeEntriesStrict,
  encodeQuery,
  missingQuestionMarkError,
  missingQuestionMarkNotice,
  readLinkEntries,
  type RawEntries,
} from './url.ts';

export {
  AUTOPLAY_FLAG,
  B_PREFIX,
  CHAIN_KEY,
  CHARTS_KEY,
  COMPARE_FLAG,
  CONTROLS_KEY,
  CURSOR_KEY,
  EMBED_FLAG,
  FROZEN_FLAG,
  HISTORY_KEY,
  PAGE_KEYS,
  PRESET_KEY,
  STRESS_KEY,
  THEME_KEY,
  pageKeyOf,
} from './page-keys.ts';

export interface PageLocation {
  params: Params;
  notices: Notice[];
  frozen: boolean;
  compare: boolean;
  /** The parameters where run B differs from run A (empty when B is a copy of A). */
  overridesB: Partial<Params>;
  chain?: ChainId;
  history?: HistoryId;
  /** The tick the cursor was scrubbed back to (`t=`), if any. */
  cursor?: number;
  /** The stress map's setup (`stress=`), if any. */
  stress?: StressSetup;
}

/** The stress map's setup in a link: two numeric parameters with their ranges, and the cells per axis. */
export interface StressSetup {
  x: { key: ParamKey; range: [number, number] };
  y: { key: ParamKey; range: [number, number] };
  size: number;
}

/** Cells per axis a link's stress map may ask for. */
const STRESS_SIZE = { min: 2, max: 12 };

/** `stress=` as written: `leverage:2:30,gex:-1:1,8`. */
export function encodeStress({ x, y, size }: StressSetup): string {
  return `${x.key}:${x.range[0]}:${x.range[1]},${y.key}:${y.range[0]}:${y.range[1]},${size}`;
}

/** `stress=` read back; undefined for anything but two numeric parameters (not the seed) with finite ranges and a size in range. */
export function decodeStress(text: string): StressSetup | undefined {
  const parts = text.split(',');
  if (parts.length !== 3) return undefined;
  const axis = (part: string): StressSetup['x'] | undefined => {
    const [key, from, to, ...rest] = part.split(':');
    const spec = paramSpec(key);
    if (rest.length > 0 || !spec || spec.type === 'enum' || key === 'seed') return undefined;
    const decimal = /^-?\d+(\.\d+)?$/;
    if (!decimal.test(from) || !decimal.test(to)) return undefined;
    return { key: key as ParamKey, range: [Number(from), Number(to)] };
  };
  const x = axis(parts[0]);
  const y = axis(parts[1]);
  const size = /^\d{1,2}$/.test(parts[2]) ? Number(parts[2]) : NaN;
  if (!x || !y || x.key === y.key || !(size >= STRESS_SIZE.min && size <= STRESS_SIZE.max)) return undefined;
  return { x, y, size };
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && value !== '0' && value !== 'false';
}

/** A link's entries in three parts: A's parameters (and the version), run B's (without `b.`), the page keys (last value of each). */
interface SplitLink {
  paramsA: RawEntries;
  paramsB: RawEntries;
  page: Map<string, string>;
  /** Page keys given more than once (the last value counts). */
  repeatedPage: Set<string>;
  version?: string;
  missingQuestionMark: boolean;
}

/** One pass over the entries, whatever their number: a link of 50,000 keys splits in linear time. */
function splitLink(text: string): SplitLink {
  const { entries, missingQuestionMark } = readLinkEntries(text);
  const split: SplitLink = { paramsA: [], paramsB: [], page: new Map(), repeatedPage: new Set(), missingQuestionMark };
  for (const entry of entries) {
    const [key, value] = entry;
    if (key === VERSION_KEY) split.version = value;
    // `b.v` names no parameter of B (the version is the link's): kept whole, so it is reported as unknown.
    if (key.startsWith(B_PREFIX))
      split.paramsB.push([key === `${B_PREFIX}${VERSION_KEY}` ? key : key.slice(B_PREFIX.length), value]);
    else if (pageKeyOf(key)) {
      if (split.page.has(key)) split.repeatedPage.add(key);
      split.page.set(key, value);
    } else split.paramsA.push(entry);
  }
  return split;
}

/** The parameters a link's `preset=` starts from (the defaults when it names none). */
function presetParams(preset: Preset | undefined): Params {
  return { ...defaultParams(), ...preset?.params } as Params;
}

/** Run B's entries read after A's, with A's version: the parser keeps the last value of a key, so B is A overridden. */
function entriesOfB(split: SplitLink): RawEntries {
  return [...split.paramsA, ...split.paramsB];
}

/** Read the parameters and page entries of a query string (`location.search`). */
export function readLocation(search: string): PageLocation {
  const split = splitLink(search);
  const { page } = split;
  const frozen = isOn(page.get(FROZEN_FLAG));
  const compare = isOn(page.get(COMPARE_FLAG));
  const pageNotices: Notice[] = [];
  const chain = page.get(CHAIN_KEY);
  const history = page.get(HISTORY_KEY);
  if (chain !== undefined && !isChainId(chain))
    pageNotices.push({
      key: CHAIN_KEY,
      message: `Ignored unknown options chain “${visibleInput(chain)}”; the dealers hold the stylized book.`,
    });
  if (history !== undefined && !isHistoryId(history))
    pageNotices.push({ key: HISTORY_KEY, message: `Ignored unknown price history “${visibleInput(history)}”.` });
  for (const key of split.repeatedPage)
    pageNotices.push({
      key,
      message: `“${key}” was given more than once; the last value, “${visibleInput(page.get(key)!)}”, was used.`,
    });
  const presetName = page.get(PRESET_KEY);
  const preset = presetName === undefined ? undefined : findPreset(presetName);
  if (presetName !== undefined && !preset)
    pageNotices.push({
      key: PRESET_KEY,
      message: `Ignored unknown preset “${visibleInput(presetName)}”; presets are ${PRESETS.map((p) => p.name).join(', ')}.`,
    });
  const cursorText = page.get(CURSOR_KEY);
  const cursor = cursorText !== undefined && /^\d{1,6}$/.test(cursorText) ? Number(cursorText) : undefined;
  if (cursorText !== undefined && cursor === undefined)
    pageNotices.push({
      key: CURSOR_KEY,
      message: `Ignored the cursor “${visibleInput(cursorText)}” (${CURSOR_KEY} must be a tick, a whole number); the charts follow the run live.`,
    });
  const stressText = page.get(STRESS_KEY);
  const stress = stressText !== undefined ? decodeStress(stressText) : undefined;
  if (stressText !== undefined && stress === undefined)
    pageNotices.push({
      key: STRESS_KEY,
      message: `Ignored the stress map setup “${visibleInput(stressText)}” (${STRESS_KEY} must read x:from:to,y:from:to,cells, two numeric parameters and ${STRESS_SIZE.min}–${STRESS_SIZE.max} cells); the map starts from its default.`,
    });
  const real = {
    chain: chain !== undefined && isChainId(chain) ? chain : preset?.chain,
    history: history !== undefined && isHistoryId(history) ? history : (preset?.history as HistoryId | undefined),
    ...(cursor !== undefined ? { cursor } : {}),
    ...(stress ? { stress } : {}),
  };
  // The preset's parameters under the link's own: defaults < preset < the link's parameters.
  const base = presetParams(preset);

  const { params, notices } = decodeEntries(split.paramsA, undefined, base);
  if (split.missingQuestionMark) notices.unshift(missingQuestionMarkNotice([...split.paramsA, ...split.paramsB]));
  if (split.paramsB.length === 0)
    return { params, notices: capNotices([...notices, ...pageNotices]), frozen, compare, overridesB: {}, ...real };

  const paramsB = decodeEntries(entriesOfB(split), undefined, base).params;
  const versionOfB: RawEntries = split.version === undefined ? [] : [[VERSION_KEY, split.version]];
  const bNotices = decodeEntries([...versionOfB, ...split.paramsB]).notices.filter((n) => n.key !== VERSION_KEY);
  return {
    params,
    notices: capNotices([
      ...notices,
      ...bNotices.map((notice) => ({ key: `${B_PREFIX}${notice.key}`, message: `Run B: ${notice.message}` })),
      ...pageNotices,
    ]),
    frozen,
    compare: compare || split.paramsB.length > 0,
    overridesB: diffParams(params, paramsB),
    ...real,
  };
}

/** A link as `cascade-lab run --url` reads it: strictly, every page key accepted. */
export interface CliLink {
  params: Params;
  /** The named options chain the dealers hold (`chain=`), applied by the CLI. */
  chain?: ChainId;
  /** The real crash beside the run (`history=`), applied by the CLI. */
  history?: HistoryId;
  /** The preset the link names (`preset=`): its parameters, chain and history under the link's. */
  preset?: string;
  /** Run B's parameters where they differ from A (a compare link); the CLI runs A. */
  overridesB: Partial<Params>;
  /** Page keys the CLI does not use, as written, in the link's order. */
  ignored: [string, string][];
  /** What the reader should know: a parameter given more than once. */
  notices: string[];
}

/**
 * Read a page link for the CLI: parameters (A's, and B's when present) strictly over `base`,
 * throwing a ParamError naming the first bad key or value, a named chain or history that
 * does not exist included; every page key of `PAGE_KEYS` accepted.
 */
export function readLinkStrict(text: string, base: Params): CliLink {
  const split = splitLink(text);
  if (split.missingQuestionMark) throw new ParamError(missingQuestionMarkError(text));
  const presetName = split.page.get(PRESET_KEY);
  const preset = presetName === undefined ? undefined : findPreset(presetName);
  if (presetName !== undefined && !preset)
    throw new ParamError(
      `${PRESET_KEY}: ${quoteInput(presetName)} is not allowed; ${PRESET_KEY} (the link's preset) must be one of ${PRESETS.map((p) => p.name).join(', ')}`,
    );
  // The link's preset under the link's parameters, over what the flags set (--preset included).
  if (preset) base = { ...base, ...preset.params } as Params;
  const params = decodeEntriesStrict(split.paramsA, base);
  const paramsB = split.paramsB.length > 0 ? decodeEntriesStrict(entriesOfB(split), base) : params;
  const chain = split.page.get(CHAIN_KEY) ?? preset?.chain;
  const history = split.page.get(HISTORY_KEY) ?? preset?.history;
  if (chain !== undefined && !isChainId(chain))
    throw new ParamError(
      `${CHAIN_KEY}: ${quoteInput(chain)} is not allowed; ${CHAIN_KEY} (the link's options chain) must be one of ${Object.keys(CHAINS).join(', ')}`,
    );
  if (history !== undefined && !isHistoryId(history))
    throw new ParamError(
      `${HISTORY_KEY}: ${quoteInput(history)} is not allowed; ${HISTORY_KEY} (the link's price history) must be one of ${Object.keys(HISTORY_PATHS).join(', ')}`,
    );
  const ignored: [string, string][] = [];
  for (const [key, value] of readLinkEntries(text).entries)
    if (pageKeyOf(key)?.cli === 'ignored') ignored.push([key, value]);
  return {
    params,
    chain: chain as ChainId | undefined,
    history: history as HistoryId | undefined,
    preset: preset?.name,
    overridesB: diffParams(params, paramsB),
    ignored,
    notices: repeatedKeys(split.paramsA, params),
  };
}

/** A notice for each parameter a link gives more than once (the last value is the one used). */
function repeatedKeys(entries: RawEntries, params: Params): string[] {
  const counts = new Map<string, number>();
  for (const [key] of entries) if (key !== VERSION_KEY) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .filter(([, count]) => count > 1)
    .map(
      ([key, count]) =>
        `${key} is given ${count} times in the link; the last value, ${params[key as ParamKey]}, was used`,
    );
}

/** The parameters of `other` that differ from `base`. */
export function diffParams(base: Params, other: Params): Partial<Params> {
  const diff: Partial<Record<ParamKey, number | string>> = {};
  for (const key of PARAM_KEYS) if (other[key] !== base[key]) diff[key] = other[key];
  return diff as Partial<Params>;
}

export interface PageFlags {
  frozen: boolean;
  chain?: ChainId;
  history?: HistoryId;
  /** Run B's overrides when the compare mode is on; undefined when it is off. */
  overridesB?: Partial<Params>;
  /** The cursor tick while scrubbed back. */
  cursor?: number;
  /** The stress map's setup. */
  stress?: StressSetup;
}

/** The query string (without `?`) that reproduces this page: the parameters, then B, then the flags. */
export function pageQuery(params: Params, flags: PageFlags): string {
  const parts = [encodeQuery(params)];
  if (flags.chain) parts.push(`${CHAIN_KEY}=${flags.chain}`);
  if (flags.history) parts.push(`${HISTORY_KEY}=${flags.history}`);
  if (flags.overridesB) {
    parts.push(`${COMPARE_FLAG}=1`);
    for (const key of PARAM_KEYS) {
      const value = flags.overridesB[key];
      if (value !== undefined && value !== params[key])
        parts.push(`${B_PREFIX}${key}=${encodeURIComponent(String(value))}`);
    }
  }
  // Colons and commas stay as they are (both are allowed in a query), so the setup reads in the address bar.
  if (flags.stress)
    parts.push(
      `${STRESS_KEY}=${encodeURIComponent(encodeStress(flags.stress)).replace(/%3A/g, ':').replace(/%2C/g, ',')}`,
    );
  if (flags.cursor !== undefined) parts.push(`${CURSOR_KEY}=${flags.cursor}`);
  if (flags.frozen) parts.push(`${FROZEN_FLAG}=1`);
  return parts.join('&');
}
