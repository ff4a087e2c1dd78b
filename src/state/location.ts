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
 * - `embed=1` and its flags `charts=`, `controls=`, `autoplay=1`, `theme=`: the page is the
 *   embeddable widget (read by `./embed.ts`; the parameter parser never sees them).
 */
import { isChainId, type ChainId } from '../model/chains.ts';
import { isHistoryId, type HistoryId } from '../model/history.ts';
import { PRESETS, findPreset } from '../model/presets.ts';
import { PARAM_KEYS, type ParamKey, type Params } from '../model/schema.ts';
import type { Notice } from '../model/validate.ts';
import { VERSION_KEY, decodeQuery, encodeQuery } from './url.ts';

/** The page's own keys; no parameter may take one of these names or start with `b.`. */
export const FROZEN_FLAG = 'frozen';
export const COMPARE_FLAG = 'compare';
export const CHAIN_KEY = 'chain';
export const HISTORY_KEY = 'history';
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
  if (flags.frozen) parts.push(`${FROZEN_FLAG}=1`);
  return parts.join('&');
}
