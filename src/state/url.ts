/**
 * Parameters in a link: the page keeps its state in the query string so a shared URL replays the
 * same run, and the CLI's `--url` reads the same links. Everything goes through the schema's
 * validators; this module adds only the link format, its version key and the migrations.
 */
import { SCHEMA, defaultParams, type ParamKey, type Params } from '../model/schema.ts';
import { ParamError, parseLenient, parseStrict, type Notice } from '../model/validate.ts';

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

/**
 * Read a link leniently, for the page: whatever arrives, the result is a full valid parameter set,
 * and every value that was not taken as written yields a notice to show the user.
 * Accepts a whole link, a query string with or without `?`, with or without a `#fragment`.
 */
export function decodeQuery(
  query: string,
  format: LinkFormat = CURRENT,
): { params: Params; notices: Notice[]; version: number } {
  const link = readLink(query, format);
  const notices: Notice[] = [];
  if (link.problem === 'invalid') {
    notices.push({
      key: VERSION_KEY,
      message: `Link version (${VERSION_KEY}) must be ${versionRange(format)}; “${link.declared.slice(0, 40)}” was ignored, reading the link as version ${link.version}.`,
    });
  } else if (link.problem === 'newer') {
    notices.push({
      key: VERSION_KEY,
      message: `This link comes from a newer Cascade Lab (link version ${link.declared}); it was read as well as possible.`,
    });
  }
  const parsed = parseLenient(link.entries, defaultParams(), [VERSION_KEY]);
  return { params: parsed.params, notices: [...notices, ...parsed.notices], version: link.version };
}

/**
 * Read a link strictly, for the CLI: any unknown key or bad value, the version included, throws
 * a ParamError naming it and its allowed range. Keys absent from the link keep their `base` value.
 */
export function decodeQueryStrict(query: string, base: Params = defaultParams(), format: LinkFormat = CURRENT): Params {
  const link = readLink(query, format);
  if (link.problem) {
    const shown = JSON.stringify(link.declared.slice(0, 40));
    throw new ParamError(
      `${VERSION_KEY}: ${shown} is not allowed; ${VERSION_KEY} (link version) must be ${versionRange(format)}`,
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

/** Split pasted text into query entries, find the link's version and migrate the entries forward. */
function readLink(text: string, format: LinkFormat): Link {
  const entries: RawEntries = [...new URLSearchParams(queryPart(text))];
  const declared = entries.filter(([key]) => key === VERSION_KEY).at(-1)?.[1];
  if (declared === undefined) {
    // Links from before the version key existed are version 1 by definition.
    return { entries: migrate(entries, 1, format), version: 1, declared: '' };
  }
  const version = /^\d+$/.test(declared.trim()) ? Number(declared) : NaN;
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

/** The query part of whatever was pasted: a full link, `?a=1`, `a=1`, with or without `#x`. */
export function queryPart(text: string): string {
  const beforeFragment = text.trim().split('#', 1)[0];
  const question = beforeFragment.indexOf('?');
  if (question >= 0) return beforeFragment.slice(question + 1);
  return ABSOLUTE_LINK.test(beforeFragment) ? '' : beforeFragment;
}
