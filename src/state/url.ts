/**
 * Parameters in a link: the page keeps its state in the query string so a shared URL replays the
 * same run, and the CLI's `--url` reads the same links. Everything goes through the schema's
 * validators; this module adds only the link format, its version key and the migrations.
 */
import { SCHEMA, defaultParams, type ParamKey, type Params } from '../model/schema.ts';
import { ParamError, parseLenient, parseStrict, quoteInput, visibleInput, type Notice } from '../model/validate.ts';

/** Version of the link format written by `encodeQuery`. Bump it with a migration, never without. */
export const VERSION = 1;

/** The query key holding the link version. Reserved: no parameter may be named `v`. */
export const VERSION_KEY = 'v';

/** A link's raw query entries, in order, before validation. */
export type RawEntries = [string, string][];

/** Rewrites the raw entries of a version-n link into those of a version-(n+1) link. */
export type Migration = (entries: RawEntries) => RawEntries;

/**
 * Link format history: `MIGRATIONS[n]` turns a version-n link into a version-(n+1) link; old links
 * climb the table one step at a time up to `VERSION`. Renaming or rescaling a parameter adds
 * a row here, so links already shared keep meaning what they meant.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

/** The link format a decoder reads: the current version and how older ones reach it. */
export interface LinkFormat {
  version: number;
  migrations: Readonly<Record<number, Migration>>;
}

const CURRENT: LinkFormat = { version: VERSION, migrations: MIGRATIONS };

/**
 * The query string for `params`: `v` first, `seed` always (a link without it would not replay the
 * run), then each parameter that differs from its default, in schema order, so links stay short
 * and readable. `String(x)` is the shortest text that reads back as the same double.
 */
export function encodeQuery(params: Params): string {
  const parts = [`${VERSION_KEY}=${VERSION}`];
  for (const spec of SCHEMA) {
    const value = params[spec.key as ParamKey];
    if (spec.key === 'seed' || value !== spec.default) parts.push(`${spec.key}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

/** At most this many notices are shown for one link; one more says how many were left out. */
export const MAX_NOTICES = 10;

/** The first `MAX_NOTICES` notices, then one counting the rest: a link of 50,000 bad keys makes 11 lines. */
export function capNotices(notices: readonly Notice[], max = MAX_NOTICES): Notice[] {
  if (notices.length <= max + 1) return [...notices];
  const rest = notices.length - max;
  return [
    ...notices.slice(0, max),
    { key: '', message: `… and ${rest} more problems with this link, not listed one by one.` },
  ];
}

/** The query entries of pasted text, and whether they had to be found without a `?`. */
export interface LinkEntries {
  entries: RawEntries;
  /** The link has a path but no `?`: its entries were read from the last path segment. */
  missingQuestionMark: boolean;
}

/**
 * Split pasted text (a whole link, a query with or without `?`, with or without a `#fragment`)
 * into raw query entries. `%XX` escapes are decoded (a malformed one is kept as written, for the
 * validator to name); a `+` stays a `+`: links written by Cascade Lab escape every `+` and never
 * hold spaces, so a `+` in a link was typed by a person and means plus (`1e+4`, `+5`).
 */
export function readLinkEntries(text: string): LinkEntries {
  const { query, missingQuestionMark } = queryPart(text);
  const entries: RawEntries = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const key = equals < 0 ? part : part.slice(0, equals);
    const value = equals < 0 ? '' : part.slice(equals + 1);
    entries.push([decodeComponent(key), decodeComponent(value)]);
  }
  return { entries, missingQuestionMark };
}

function decodeComponent(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // Decode the escapes that are valid, keep the others as they were written.
    return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** The notice for a link whose parameters follow its path without a `?` (they are read all the same). */
export function missingQuestionMarkNotice(entries: RawEntries): Notice {
  return {
    key: '',
    message: `This link has no “?” before its parameters; they were read from its end (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}).`,
  };
}

/**
 * Read a link leniently, for the page: whatever arrives, the result is a full valid parameter set,
 * and every value that was not taken as written yields a notice to show the user.
 * Accepts a whole link, a query string with or without `?`, with or without a `#fragment`.
 */
export function decodeQuery(
  query: string,
  format: LinkFormat = CURRENT,
): { params: Params; notices: Notice[]; version: number } {
  const { entries, missingQuestionMark } = readLinkEntries(query);
  const decoded = decodeEntries(entries, format);
  if (missingQuestionMark) decoded.notices.unshift(missingQuestionMarkNotice(entries));
  return decoded;
}

/** `decodeQuery` of entries already split from a link (the version key among them). */
export function decodeEntries(
  entries: RawEntries,
  format: LinkFormat = CURRENT,
  base: Params = defaultParams(),
): { params: Params; notices: Notice[]; version: number } {
  const link = readLink(entries, format);
  const notices: Notice[] = [];
  const versions = entries.filter(([key]) => key === VERSION_KEY).length;
  if (versions > 1)
    notices.push({
      key: VERSION_KEY,
      message: `Link version (${VERSION_KEY}) was given ${versions} times; the last, “${visibleInput(link.declared)}”, was used.`,
    });
  if (link.problem === 'invalid') {
    notices.push({
      key: VERSION_KEY,
      message: `Link version (${VERSION_KEY}) must be ${versionRange(format)}; “${visibleInput(link.declared)}” was ignored, reading the link as version ${link.version}.`,
    });
  } else if (link.problem === 'newer') {
    notices.push({
      key: VERSION_KEY,
      message: `This link comes from a newer Cascade Lab (link version ${link.declared}); it was read as well as possible.`,
    });
  }
  const parsed = parseLenient(link.entries, base, [VERSION_KEY]);
  return { params: parsed.params, notices: [...notices, ...parsed.notices], version: link.version };
}

/**
 * Read a link strictly, for the CLI: any unknown key or bad value, the version included, throws
 * a ParamError naming it and its allowed range. Keys absent from the link keep their `base` value.
 */
export function decodeQueryStrict(query: string, base: Params = defaultParams(), format: LinkFormat = CURRENT): Params {
  const { entries, missingQuestionMark } = readLinkEntries(query);
  if (missingQuestionMark) throw new ParamError(missingQuestionMarkError(query));
  return decodeEntriesStrict(entries, base, format);
}

/** The error for a link whose parameters follow its path without a `?`. */
export function missingQuestionMarkError(text: string): string {
  return `url: the link ${quoteInput(text.trim(), 60)} has no "?" before its parameters; write them after a "?", as the page's links do (…/?v=1&seed=7)`;
}

/** `decodeQueryStrict` of entries already split from a link. */
export function decodeEntriesStrict(
  entries: RawEntries,
  base: Params = defaultParams(),
  format: LinkFormat = CURRENT,
): Params {
  const link = readLink(entries, format);
  if (link.problem) {
    throw new ParamError(
      `${VERSION_KEY}: ${quoteInput(link.declared)} is not allowed; ${VERSION_KEY} (link version) must be ${versionRange(format)}`,
    );
  }
  return parseStrict(
    link.entries.filter(([key]) => key !== VERSION_KEY),
    base,
  );
}

interface Link {
  /** Raw entries, migrated to the current version. */
  entries: RawEntries;
  /** The version the link was read as. */
  version: number;
  /** The version key as written ('' if absent). */
  declared: string;
  problem?: 'invalid' | 'newer';
}

/** Find a link's version among its entries and migrate the entries forward. */
function readLink(entries: RawEntries, format: LinkFormat): Link {
  let declared: string | undefined;
  for (const [key, value] of entries) if (key === VERSION_KEY) declared = value;
  if (declared === undefined) {
    // Links from before the version key existed are version 1 by definition.
    return { entries: migrate(entries, 1, format), version: 1, declared: '' };
  }
  const version = /^\d{1,9}$/.test(declared) ? Number(declared) : NaN;
  if (!(version >= 1)) return { entries, version: format.version, declared, problem: 'invalid' };
  if (version > format.version) return { entries, version, declared, problem: 'newer' };
  return { entries: migrate(entries, version, format), version, declared };
}

function migrate(entries: RawEntries, from: number, format: LinkFormat): RawEntries {
  for (let v = from; v < format.version; v++) {
    const step = format.migrations[v];
    if (!step) throw new Error(`link format: no migration from version ${v} to ${v + 1}`);
    entries = step(entries);
  }
  return entries;
}

function versionRange(format: LinkFormat): string {
  return `an integer in [1, ${format.version}]`;
}

const ABSOLUTE_LINK = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The query part of whatever was pasted: a full link, `?a=1`, `a=1`, with or without `#x`. A link
 * with a path and no `?` (`https://host/v=1&seed=3`) has its query after the last `/` before its
 * first `=`: found there, and flagged, rather than silently dropped.
 */
function queryPart(text: string): { query: string; missingQuestionMark: boolean } {
  const trimmed = text.trim();
  const hash = trimmed.indexOf('#');
  const beforeFragment = hash < 0 ? trimmed : trimmed.slice(0, hash);
  const question = beforeFragment.indexOf('?');
  if (question >= 0) return { query: beforeFragment.slice(question + 1), missingQuestionMark: false };
  const equals = beforeFragment.indexOf('=');
  if (equals < 0) {
    const isPath = ABSOLUTE_LINK.test(beforeFragment) || beforeFragment.includes('/');
    return { query: isPath ? '' : beforeFragment, missingQuestionMark: false };
  }
  const slash = beforeFragment.lastIndexOf('/', equals);
  if (slash < 0) return { query: beforeFragment, missingQuestionMark: false };
  return { query: beforeFragment.slice(slash + 1), missingQuestionMark: true };
}
