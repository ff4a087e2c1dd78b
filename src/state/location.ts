/**
 * The page's address bar: the run's parameters live in the query (through `./url.ts`), plus
 * page entries that are not parameters and never reach the parameter parser. Every key of a
 * link is named in this folder, so a new one cannot clash with another unseen.
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
 * - `t=<tick>`: the cursor, scrubbed back to that tick (the page follows the run live without it).
 * - `stress=<x>:<from>:<to>,<y>:<from>:<to>,<n>`: the stress map's setup — the parameter swept
 *   across and its range, the one swept up and its range, and the cells per axis — so a shared
 *   link opens the same sweep, ready to run.
 * - `embed=1` and its flags `charts=`, `controls=`, `autoplay=1`, `theme=`: the page is the
 *   embeddable widget (read by `./embed.ts`; the parameter parser never sees them).
 */
import { isChainId, type ChainId } from '../model/chains.ts';
import { isHistoryId, type HistoryId } from '../model/history.ts';
import { PRESETS, findPreset } from '../model/presets.ts';
import { PARAM_KEYS, paramSpec, type ParamKey, type Params } from '../model/schema.ts';
import type { Notice } from '../model/validate.ts';
import { VERSION_KEY, decodeQuery, encodeQuery } from './url.ts';

/** The page's own keys; no parameter may take one of these names or start with `b.`. */
export const FROZEN_FLAG = 'frozen';
export const COMPARE_FLAG = 'compare';
export const CHAIN_KEY = 'chain';
export const HISTORY_KEY = 'history';
export const CURSOR_KEY = 't';
export const STRESS_KEY = 'stress';
export const B_PREFIX = 'b.';
export const PRESET_KEY = 'preset';
export const EMBED_FLAG = 'embed';
export const CHARTS_KEY = 'charts';
export const CONTROLS_KEY = 'controls';
export const AUTOPLAY_FLAG = 'autoplay';
export const THEME_KEY = 'theme';

/** Every page key: none reaches the parameter parser. */
export const PAGE_KEYS: readonly string[] = [
  FROZEN_FLAG,
  COMPARE_FLAG,
  CHAIN_KEY,
  HISTORY_KEY,
  PRESET_KEY,
  EMBED_FLAG,
  CHARTS_KEY,
  CONTROLS_KEY,
  AUTOPLAY_FLAG,
  THEME_KEY,
  CURSOR_KEY,
  STRESS_KEY,
];

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
    const range: [number, number] = [Number(from), Number(to)];
    if (from === '' || to === '' || !range.every(Number.isFinite)) return undefined;
    return { key: key as ParamKey, range };
  };
  const x = axis(parts[0]);
  const y = axis(parts[1]);
  const size = /^\d+$/.test(parts[2]) ? Number(parts[2]) : NaN;
  if (!x || !y || x.key === y.key || !(size >= STRESS_SIZE.min && size <= STRESS_SIZE.max)) return undefined;
  return { x, y, size };
}

function isOn(value: string | null): boolean {
  return value !== null && value !== '0' && value !== 'false';
}

/** Read the parameters and page entries of a query string (`location.search`). */
export function readLocation(search: string): PageLocation {
  const query = new URLSearchParams(search);
  const frozen = isOn(query.get(FROZEN_FLAG));
  const compare = isOn(query.get(COMPARE_FLAG));
  const pageNotices: Notice[] = [];
  const chain = query.get(CHAIN_KEY) ?? undefined;
  const history = query.get(HISTORY_KEY) ?? undefined;
  if (chain !== undefined && !isChainId(chain))
    pageNotices.push({
      key: CHAIN_KEY,
      message: `Ignored unknown options chain “${chain.slice(0, 40)}”; the dealers hold the stylized book.`,
    });
  if (history !== undefined && !isHistoryId(history))
    pageNotices.push({ key: HISTORY_KEY, message: `Ignored unknown price history “${history.slice(0, 40)}”.` });
  const cursorText = query.get(CURSOR_KEY) ?? undefined;
  const cursor = cursorText !== undefined && /^\d{1,6}$/.test(cursorText) ? Number(cursorText) : undefined;
  if (cursorText !== undefined && cursor === undefined)
    pageNotices.push({
      key: CURSOR_KEY,
      message: `Ignored the cursor “${cursorText.slice(0, 40)}” (${CURSOR_KEY} must be a tick, a whole number); the charts follow the run live.`,
    });
  const stressText = query.get(STRESS_KEY) ?? undefined;
  const stress = stressText !== undefined ? decodeStress(stressText) : undefined;
  if (stressText !== undefined && stress === undefined)
    pageNotices.push({
      key: STRESS_KEY,
      message: `Ignored the stress map setup “${stressText.slice(0, 60)}” (${STRESS_KEY} must read x:from:to,y:from:to,cells, two numeric parameters and ${STRESS_SIZE.min}–${STRESS_SIZE.max} cells); the map starts from its default.`,
    });
  const presetName = query.get(PRESET_KEY) ?? undefined;
  const preset = presetName === undefined ? undefined : findPreset(presetName);
  if (presetName !== undefined && !preset)
    pageNotices.push({
      key: PRESET_KEY,
      message: `Ignored unknown preset “${presetName.slice(0, 40)}”; presets are ${PRESETS.map((p) => p.name).join(', ')}.`,
    });
  const real = {
    chain: chain !== undefined && isChainId(chain) ? chain : preset?.chain,
    history: history !== undefined && isHistoryId(history) ? history : (preset?.history as HistoryId | undefined),
    ...(cursor !== undefined ? { cursor } : {}),
    ...(stress ? { stress } : {}),
  };
  for (const key of PAGE_KEYS) query.delete(key);
  if (preset) {
    // The preset's parameters first: the parser keeps the last valid value of a key, so the link's win.
    const own = [...query];
    for (const key of new Set(own.map(([key]) => key))) query.delete(key);
    for (const [key, value] of [...Object.entries(preset.params), ...own]) query.append(key, String(value));
  }
  const bEntries = [...query].filter(([key]) => key.startsWith(B_PREFIX));
  for (const [key] of bEntries) query.delete(key);

  const { params, notices } = decodeQuery(query.toString());
  if (bEntries.length === 0)
    return { params, notices: [...notices, ...pageNotices], frozen, compare, overridesB: {}, ...real };

  // B's entries after A's: the parser keeps the last valid value of a key, so B is A overridden.
  const bQuery = new URLSearchParams(bEntries.map(([key, value]) => [key.slice(B_PREFIX.length), value]));
  const paramsB = decodeQuery(`${query}&${bQuery}`).params;
  const version = query.get(VERSION_KEY);
  const bNotices = decodeQuery(version === null ? bQuery.toString() : `${VERSION_KEY}=${version}&${bQuery}`).notices;
  return {
    params,
    notices: [
      ...notices,
      ...bNotices.map((notice) => ({ key: `${B_PREFIX}${notice.key}`, message: `Run B: ${notice.message}` })),
      ...pageNotices,
    ],
    frozen,
    compare: compare || bEntries.length > 0,
    overridesB: diffParams(params, paramsB),
    ...real,
  };
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
