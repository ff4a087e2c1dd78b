/**
 * The embeddable widget's link: `?embed=1` plus its flags, on top of everything a page link holds
 * (`./location.ts`: the parameters, `frozen`, `preset`, `chain`, `history`).
 *
 * - `charts=price,liquidations,…`: which charts, in this order (default: price);
 * - `controls=leverage,gex,…`: which parameters get a control (default: none; the others keep
 *   their link values);
 * - `autoplay=1`: the run plays as soon as the widget loads (otherwise it waits at tick 0);
 * - `theme=light|dark|auto` (default auto: the reader's system setting).
 *
 * A bad value gets a notice, as a bad parameter does, and falls back to the default. In embed
 * mode parameter keys are matched without regard to case or hyphens (`liqspeed`, `liq-speed`),
 * because HTML lowercases the attribute names of `<cascade-lab liqSpeed="1">`.
 */
import { PARAM_KEYS, type ParamKey, type Params } from '../model/schema.ts';
import { visibleInput, type Notice } from '../model/validate.ts';
import { CHART_TITLES, RUN_CHART_IDS, type RunChart } from './charts.ts';
import { capNotices } from './url.ts';
import {
  AUTOPLAY_FLAG,
  CHARTS_KEY,
  CONTROLS_KEY,
  EMBED_FLAG,
  THEME_KEY,
  pageQuery,
  readLocation,
  type PageFlags,
  type PageLocation,
} from './location.ts';

/**
 * The charts a widget can show, by the name its link uses, with what they show: every chart of
 * the page (`./charts.ts`, the one list both go by), in the page's order.
 */
export const EMBED_CHARTS: Readonly<Record<EmbedChart, string>> = CHART_TITLES;

export type EmbedChart = RunChart;
export const EMBED_CHART_NAMES: readonly EmbedChart[] = RUN_CHART_IDS;
export const DEFAULT_CHARTS: readonly EmbedChart[] = ['price'];

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface EmbedFlags {
  charts: EmbedChart[];
  controls: ParamKey[];
  autoplay: boolean;
  theme: Theme;
}

export const DEFAULT_EMBED: EmbedFlags = { charts: [...DEFAULT_CHARTS], controls: [], autoplay: false, theme: 'auto' };

/** Whether a query string asks for the widget (`embed=1`; `embed=0` or `false` is the full page). */
export function isEmbed(search: string): boolean {
  const value = new URLSearchParams(search).get(EMBED_FLAG);
  return value !== null && value !== '0' && value !== 'false';
}

export interface EmbedLocation extends PageLocation {
  flags: EmbedFlags;
}

/** Read a widget's link: the page entries and parameters (keys matched loosely), and the widget's flags. */
export function readEmbedLocation(search: string): EmbedLocation {
  const query = canonicalKeys(new URLSearchParams(search));
  const page = readLocation(`?${query}`);
  const { flags, notices } = readEmbedFlags(query);
  const compareNotice: Notice[] = page.compare
    ? [{ key: 'compare', message: 'The widget shows one run: run B of this link is not shown.' }]
    : [];
  // Capped as the page's are: ten, then a count of the rest, however many items a list names.
  return { ...page, notices: capNotices([...page.notices, ...notices, ...compareNotice]), flags };
}

/** The widget's flags from a query, with a notice for every value that is not allowed. */
export function readEmbedFlags(query: URLSearchParams): { flags: EmbedFlags; notices: Notice[] } {
  const notices: Notice[] = [];
  const charts = listOf(query.get(CHARTS_KEY), CHARTS_KEY, (name) => chartName(name), notices, 'chart');
  const controls = listOf(query.get(CONTROLS_KEY), CONTROLS_KEY, (name) => paramKey(name), notices, 'parameter');
  const themeRaw = query.get(THEME_KEY);
  let theme: Theme = 'auto';
  if (themeRaw !== null) {
    const wanted = themeRaw.trim().toLowerCase();
    if ((THEMES as readonly string[]).includes(wanted)) theme = wanted as Theme;
    else
      notices.push({
        key: THEME_KEY,
        message: `Theme (${THEME_KEY}) must be one of ${THEMES.join(', ')}; “${shorten(themeRaw)}” was ignored, using auto.`,
      });
  }
  const autoplayRaw = query.get(AUTOPLAY_FLAG);
  let autoplay = false;
  if (autoplayRaw !== null) {
    const value = autoplayRaw.trim().toLowerCase();
    if (['', '1', 'true'].includes(value)) autoplay = true;
    else if (!['0', 'false'].includes(value))
      notices.push({
        key: AUTOPLAY_FLAG,
        message: `Autoplay (${AUTOPLAY_FLAG}) must be 1 or 0; “${shorten(autoplayRaw)}” was ignored, so the run waits for Play.`,
      });
  }
  if (charts !== undefined && charts.length === 0)
    notices.push({ key: CHARTS_KEY, message: `No chart left to show in ${CHARTS_KEY}; showing the price.` });
  return {
    flags: {
      charts: charts === undefined || charts.length === 0 ? [...DEFAULT_CHARTS] : charts,
      controls: controls ?? [],
      autoplay,
      theme,
    },
    notices,
  };
}

/**
 * The widget's query string for a state: `embed=1`, the page link (parameters, chain, history,
 * `frozen`; never run B), then the flags that differ from their defaults.
 */
export function embedQuery(params: Params, page: PageFlags, flags: EmbedFlags): string {
  const parts = [`${EMBED_FLAG}=1`, pageQuery(params, { ...page, overridesB: undefined })];
  if (flags.charts.join(',') !== DEFAULT_CHARTS.join(',')) parts.push(`${CHARTS_KEY}=${flags.charts.join(',')}`);
  if (flags.controls.length > 0) parts.push(`${CONTROLS_KEY}=${flags.controls.join(',')}`);
  if (flags.autoplay) parts.push(`${AUTOPLAY_FLAG}=1`);
  if (flags.theme !== 'auto') parts.push(`${THEME_KEY}=${flags.theme}`);
  return parts.join('&');
}

/** A comma-separated list read item by item: unknown and repeated items get one notice each. */
function listOf<T>(
  raw: string | null,
  key: string,
  find: (name: string) => T | undefined,
  notices: Notice[],
  what: string,
): T[] | undefined {
  if (raw === null) return undefined;
  const found: T[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const value = find(item);
    if (value === undefined)
      notices.push({ key, message: `Ignored unknown ${what} “${shorten(item)}” in ${key}; ${known(key)}.` });
    else if (found.includes(value)) notices.push({ key, message: `Ignored “${shorten(item)}”, repeated in ${key}.` });
    else found.push(value);
  }
  return found;
}

function known(key: string): string {
  return key === CHARTS_KEY
    ? `charts are ${EMBED_CHART_NAMES.join(', ')}`
    : 'controls are parameter names, as in a link (leverage, gex, liqSpeed, …)';
}

/** A key without case or hyphens: `liq-speed`, `LiqSpeed` and `liqspeed` all read `liqspeed`. */
const loose = (key: string): string => key.replaceAll('-', '').toLowerCase();

const PARAMS_BY_LOOSE_KEY = new Map(PARAM_KEYS.map((key) => [loose(key), key]));
const CHARTS_BY_LOOSE_NAME = new Map(EMBED_CHART_NAMES.map((name) => [loose(name), name]));

function paramKey(name: string): ParamKey | undefined {
  return PARAMS_BY_LOOSE_KEY.get(loose(name));
}

function chartName(name: string): EmbedChart | undefined {
  return CHARTS_BY_LOOSE_NAME.get(loose(name));
}

/** The query with every key that loosely names a parameter written as that parameter's key. */
function canonicalKeys(query: URLSearchParams): URLSearchParams {
  return new URLSearchParams([...query].map(([key, value]) => [paramKey(key) ?? key, value]));
}

function shorten(s: string): string {
  return visibleInput(s);
}
