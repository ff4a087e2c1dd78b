/**
 * A real options chain → the option grid the dealers trade (src/model/option-grid.ts), so GEX and
 * the gamma profile reflect a market snapshot instead of the stylized default.
 *
 * Three inputs, told apart by content (`parseChain`):
 * - a CSV with a header `type,strike,expiry,open_interest` (any case, any order, extra columns
 *   allowed), spot and snapshot time from `spot`/`index_price`/`underlying_price` and
 *   `timestamp`/`as_of` columns or from the caller;
 * - a Deribit chain saved as CSV (the repository's real 2020-05-14 file: `instrument_name`,
 *   `option_type`, `strike`, `expiration_timestamp` in ms, `open_interest`, `index_price`,
 *   `timestamp`, …), detected by its `instrument_name` column;
 * - Deribit's public book summary as JSON (`public/get_book_summary_by_currency?currency=BTC&kind=option`),
 *   the whole JSON-RPC response or its bare `result` array.
 *
 * Each instrument with open interest above zero and an expiry after the snapshot becomes one
 * series: weight = open interest, moneyness = strike ÷ spot, tenorDays = days from the snapshot to
 * expiry. One spot serves the whole chain (the index, not each expiry's forward): the engines
 * price every series off one price, and their rate and carry parameters stand in for the basis.
 *
 * Pure and browser-safe: no Node imports, no clock (a snapshot without a time is an error, never
 * "now"), so the same file always gives the same grid, in any row order.
 */
import { MAX_OPTION_SERIES, type OptionSeriesSpec } from './option-grid.ts';
import { quoteInput, visibleInput } from './validate.ts';

export type ChainSource = 'csv' | 'deribit-csv' | 'deribit-json';

export interface ChainOptions {
  /** Spot price of the underlying at the snapshot, when the file carries none. */
  spot?: number;
  /** Snapshot time (ISO string or ms since the epoch), when the file carries none. */
  asOf?: string | number;
}

export interface ChainDropped {
  /** Instruments nobody holds. */
  zeroOpenInterest: number;
  /** Instruments that expire at or before the snapshot. */
  expired: number;
  /** Smallest open interest cut to fit MAX_OPTION_SERIES. */
  overCapacity: number;
  /** Rows of a book summary that are not options (futures, perpetuals). */
  notOptions: number;
}

export interface ChainImport {
  /** One series per instrument kept, sorted by tenor, puts before calls, then moneyness. */
  grid: OptionSeriesSpec[];
  /** Spot at the snapshot (the median over rows when each row carries its own). */
  spot: number;
  /**
   * Snapshot time, ISO 8601 UTC (the latest row time when each row carries its own); null when
   * no row needs it (every expiry given as days) and none was given.
   */
  asOf: string | null;
  /** Instruments kept: grid.length. */
  instruments: number;
  /** Instruments read, before dropping. */
  rows: number;
  dropped: ChainDropped;
  source: ChainSource;
  /** One sentence per thing the caller should know (rows dropped, defaults assumed). */
  notes: string[];
}

/** The chain cannot be read: the message names the line (or entry) and the column at fault. */
export class ChainError extends Error {}

const MS_PER_DAY = 86_400_000;
/** Deribit, and crypto option venues generally, expire at 08:00 UTC. */
const EXPIRY_HOUR_UTC = 8;
/** A bare number in the expiry column is days to expiry; above this it is surely something else. */
const MAX_TENOR_DAYS = 3650;

/** Reads a chain in any supported format, told apart by content (the file name only words errors). */
export function parseChain(text: string, filename?: string, options: ChainOptions = {}): ChainImport {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  const where = filename ? `${filename}: ` : '';
  if (trimmed === '') throw new ChainError(`${where}the file is empty`);
  try {
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch (error) {
        throw new ChainError(`not valid JSON (${(error as Error).message})`);
      }
      return parseDeribitBookSummary(json, options);
    }
    return parseChainCsv(body, options);
  } catch (error) {
    if (error instanceof ChainError && where) throw new ChainError(where + error.message);
    throw error;
  }
}

// ── CSV ──────────────────────────────────────────────────────────────────────────────────────

/** A CSV record with the line it starts on (1-based), for error messages. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks (the Deribit file
 * quotes Python dicts and lists of bids). Blank lines are skipped. All records at once; for a
 * large file, `csvRecords` reads one record at a time.
 */
export function parseCsv(text: string): CsvRecord[] {
  return [...csvRecords(text)];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * The records of a CSV text one at a time, in one pass: each field is a slice of the text (joined
 * only around a quote), so reading takes time and memory in proportion to the file and the
 * caller keeps only what it needs of each record.
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  let fields: string[] = [];
  /** Pieces of the current field, when quotes split it. */
  const pieces: string[] = [];
  let start = 0;
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = (end: number): void => {
    if (pieces.length === 0) fields.push(text.slice(start, end));
    else {
      pieces.push(text.slice(start, end));
      fields.push(pieces.join(''));
      pieces.length = 0;
    }
  };
  const isRecord = (): boolean => fields.length > 1 || fields[0].trim() !== '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        pieces.push(text.slice(start, i));
        if (text.charCodeAt(i + 1) === QUOTE) {
          pieces.push('"');
          i++;
        } else quoted = false;
        start = i + 1;
      } else if (c === LF) line++;
    } else if (c === QUOTE) {
      pieces.push(text.slice(start, i));
      quoted = true;
      start = i + 1;
    } else if (c === COMMA) {
      endField(i);
      start = i + 1;
    } else if (c === LF || c === CR) {
      endField(i);
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      if (isRecord()) yield { line: recordLine, fields };
      fields = [];
      line++;
      recordLine = line;
      start = i + 1;
    }
  }
  if (quoted) throw new ChainError(`line ${recordLine}: a quoted field is never closed`);
  if (start < n || fields.length > 0 || pieces.length > 0) {
    endField(n);
    if (isRecord()) yield { line: recordLine, fields };
  }
}

/** Header names compared without case, spaces or punctuation: `Open Interest` = `open_interest`. */
const normalize = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Columns by role, each a list of accepted header names, first found wins. */
const COLUMNS = {
  type: ['type', 'optiontype'],
  strike: ['strike'],
  expiry: ['expiry', 'expiration', 'expirationtimestamp'],
  openInterest: ['openinterest', 'oi'],
  /** The index is the spot; an expiry's underlying price is its forward, the last resort. */
  spot: ['spot', 'indexprice', 'estimateddeliveryprice', 'underlyingprice'],
  asOf: ['asof', 'timestamp', 'creationtimestamp'],
  instrument: ['instrumentname'],
} as const;

type Role = keyof typeof COLUMNS;

interface Row {
  where: string;
  isCall: boolean;
  strike: number;
  /** Expiry in ms since the epoch (dateOnly: a date, taken at 08:00 UTC), or days to expiry. */
  expiry: { ms: number; dateOnly?: boolean } | { days: number };
  openInterest: number;
  spot?: number;
  asOfMs?: number;
}

/** A CSV chain: generic, or Deribit's (told by its `instrument_name` column). */
export function parseChainCsv(text: string, options: ChainOptions = {}): ChainImport {
  const records = csvRecords(text);
  const header = records.next().value;
  if (!header) throw new ChainError('the file is empty');
  const names = header.fields.map(normalize);
  const column = Object.fromEntries(
    (Object.keys(COLUMNS) as Role[]).map((role) => {
      const index = COLUMNS[role].map((name) => names.indexOf(name)).find((i) => i >= 0);
      return [role, index];
    }),
  ) as Record<Role, number | undefined>;
  const isDeribit = column.instrument !== undefined;
  for (const role of ['type', 'strike', 'expiry', 'openInterest'] as const) {
    if (column[role] === undefined && !(isDeribit && role !== 'openInterest')) {
      throw new ChainError(
        `line ${header.line}: the header has no ${HEADER_NAMES[role]} column; a chain CSV needs type,strike,expiry,open_interest (found: ${visibleInput(header.fields.join(','), 120)})`,
      );
    }
  }
  const rows: Row[] = [];
  for (const record of records) rows.push(readRow(record));
  if (rows.length === 0) throw new ChainError('the file has a header but no instruments');
  return buildGrid(rows, isDeribit ? 'deribit-csv' : 'csv', options, 0);

  function readRow(record: CsvRecord): Row {
    const get = (role: Role): string | undefined => {
      const i = column[role];
      return i === undefined ? undefined : record.fields[i]?.trim();
    };
    if (record.fields.length < header.fields.length) {
      throw new ChainError(
        `line ${record.line}: ${record.fields.length} fields, the header has ${header.fields.length}`,
      );
    }
    const name = get('instrument');
    const where = `line ${record.line}${name ? ` (${name})` : ''}`;
    const needsName = isDeribit && [column.type, column.strike, column.expiry].includes(undefined);
    const fromName = needsName ? parseDeribitInstrument(name ?? '', `${where}, column instrument_name`) : undefined;
    const cell = (role: Role): string => get(role) ?? '';
    const bad = (role: Role, must: string): ChainError =>
      new ChainError(`${where}, column ${header.fields[column[role]!].trim()}: ${quote(cell(role))} ${must}`);

    let isCall = fromName?.isCall;
    if (column.type !== undefined) {
      const type = cell('type').toLowerCase();
      if (!['call', 'put', 'c', 'p'].includes(type)) throw bad('type', 'is not call, put, C or P');
      isCall = type.startsWith('c');
    }
    let strike = fromName?.strike;
    if (column.strike !== undefined) {
      strike = Number(cell('strike'));
      if (cell('strike') === '' || !(strike > 0) || !Number.isFinite(strike))
        throw bad('strike', 'is not a positive number');
    }
    let expiry: Row['expiry'] | undefined = fromName && { ms: fromName.expiryMs };
    if (column.expiry !== undefined) {
      expiry = readExpiry(cell('expiry'));
      if (expiry === undefined)
        throw bad(
          'expiry',
          `is not an ISO date or date-time, a number of days up to ${MAX_TENOR_DAYS}, or ms since the epoch`,
        );
    }
    const openInterest = Number(cell('openInterest'));
    if (cell('openInterest') === '' || !(openInterest >= 0) || !Number.isFinite(openInterest))
      throw bad('openInterest', 'is not a number ≥ 0');

    let spot: number | undefined;
    if (column.spot !== undefined && cell('spot') !== '') {
      spot = Number(cell('spot'));
      if (!(spot > 0) || !Number.isFinite(spot)) throw bad('spot', 'is not a positive price');
    }
    let asOfMs: number | undefined;
    if (column.asOf !== undefined && cell('asOf') !== '') {
      asOfMs = readTime(cell('asOf'));
      if (!Number.isFinite(asOfMs)) throw bad('asOf', 'is not an ISO date-time or a time since the epoch');
    }
    return { where, isCall: isCall!, strike: strike!, expiry: expiry!, openInterest, spot, asOfMs };
  }
}

const HEADER_NAMES: Record<'type' | 'strike' | 'expiry' | 'openInterest', string> = {
  type: 'type (call/put)',
  strike: 'strike',
  expiry: 'expiry',
  openInterest: 'open_interest',
};

// ── Deribit JSON ─────────────────────────────────────────────────────────────────────────────

/**
 * Deribit's `public/get_book_summary_by_currency` response (`{ jsonrpc, result: [...], usIn, … }`)
 * or its bare `result` array. Field names as documented at
 * https://docs.deribit.com/api-reference/market-data/public-get_book_summary_by_currency :
 * `instrument_name`, `open_interest` (contracts), `underlying_price` (the expiry's forward),
 * `estimated_delivery_price` (the index), `creation_timestamp` (ms since the epoch).
 */
export function parseDeribitBookSummary(json: unknown, options: ChainOptions = {}): ChainImport {
  const response = json as { result?: unknown; error?: { message?: string; code?: number } } | null;
  if (response && typeof response === 'object' && !Array.isArray(response) && response.error) {
    throw new ChainError(
      `the response is a Deribit error: ${response.error.message ?? JSON.stringify(response.error)}`,
    );
  }
  const entries = Array.isArray(json) ? json : response && typeof response === 'object' ? response.result : undefined;
  if (!Array.isArray(entries))
    throw new ChainError(
      'expected Deribit book summary JSON: { "result": [ { "instrument_name": … } ] } or its result array',
    );
  if (entries.length === 0) throw new ChainError('the book summary lists no instruments');

  let notOptions = 0;
  const rows: Row[] = [];
  entries.forEach((entry: Record<string, unknown>, i) => {
    const name = entry?.instrument_name;
    const where = `result[${i}]${typeof name === 'string' ? ` (${name})` : ''}`;
    if (typeof name !== 'string') throw new ChainError(`${where}: instrument_name is missing`);
    if (!OPTION_NAME.test(name)) {
      notOptions++;
      return;
    }
    const instrument = parseDeribitInstrument(name, `${where}, instrument_name`);
    const number = (key: string, must: string, ok: (x: number) => boolean, optional = false): number | undefined => {
      const value = entry[key];
      if (optional && (value === undefined || value === null)) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
        throw new ChainError(`${where}, ${key}: ${JSON.stringify(value) ?? 'missing'} ${must}`);
      return value;
    };
    const openInterest = number('open_interest', 'is not a number ≥ 0', (x) => x >= 0)!;
    const positive = (x: number): boolean => x > 0;
    const spot =
      number('estimated_delivery_price', 'is not a positive price', positive, true) ??
      number('underlying_price', 'is not a positive price', positive, true);
    const asOfMs = number('creation_timestamp', 'is not a time in ms since the epoch', (x) => x >= 0, true);
    rows.push({
      where,
      isCall: instrument.isCall,
      strike: instrument.strike,
      expiry: { ms: instrument.expiryMs },
      openInterest,
      spot,
      asOfMs,
    });
  });
  if (rows.length === 0)
    throw new ChainError(`none of the ${entries.length} instruments is an option (ask for kind=option)`);
  return buildGrid(rows, 'deribit-json', options, notOptions);
}

/** `BTC-29MAY20-9000-P`; linear options write a decimal strike with `d` (`XRP_USDC-30JUN23-0d625-C`). */
const OPTION_NAME = /^([A-Z0-9_]+)-(\d{1,2})([A-Z]{3})(\d{2})-(\d+(?:d\d+)?)-([CP])$/;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export interface DeribitInstrument {
  currency: string;
  /** 08:00 UTC on the expiry date, in ms since the epoch. */
  expiryMs: number;
  strike: number;
  isCall: boolean;
}

/**
 * A Deribit option name (naming scheme `CURRENCY-DMMMYY-STRIKE-K`, docs.deribit.com "Naming");
 * Deribit options expire at 08:00 UTC.
 */
export function parseDeribitInstrument(name: string, where = 'instrument_name'): DeribitInstrument {
  const match = OPTION_NAME.exec(name);
  const month = match ? MONTHS.indexOf(match[3]) : -1;
  const day = match ? Number(match[2]) : 0;
  const year = match ? 2000 + Number(match[4]) : 0;
  const expiryMs = Date.UTC(year, month, day, EXPIRY_HOUR_UTC);
  if (!match || month < 0 || new Date(expiryMs).getUTCDate() !== day) {
    throw new ChainError(`${where}: ${quote(name)} is not a Deribit option name like BTC-29MAY20-9000-P`);
  }
  return { currency: match[1], expiryMs, strike: Number(match[5].replace('d', '.')), isCall: match[6] === 'C' };
}

// ── from rows to the grid ────────────────────────────────────────────────────────────────────

function buildGrid(rows: Row[], source: ChainSource, options: ChainOptions, notOptions: number): ChainImport {
  const notes: string[] = [];
  const spot = snapshotSpot(rows, options);
  const asOfMs = snapshotTime(rows, options);
  const dropped: ChainDropped = { zeroOpenInterest: 0, expired: 0, overCapacity: 0, notOptions };

  let kept: (OptionSeriesSpec & { order: number })[] = [];
  rows.forEach((row, order) => {
    const tenorDays = 'days' in row.expiry ? row.expiry.days : (row.expiry.ms - asOfMs!) / MS_PER_DAY;
    if (tenorDays <= 0) dropped.expired++;
    else if (row.openInterest === 0) dropped.zeroOpenInterest++;
    else kept.push({ isCall: row.isCall, moneyness: row.strike / spot, tenorDays, weight: row.openInterest, order });
  });
  if (kept.length > MAX_OPTION_SERIES) {
    dropped.overCapacity = kept.length - MAX_OPTION_SERIES;
    kept = [...kept].sort((a, b) => b.weight - a.weight || a.order - b.order).slice(0, MAX_OPTION_SERIES);
  }
  if (kept.length === 0) {
    throw new ChainError(
      `no instrument is left: of ${rows.length}, ${dropped.expired} expired at or before the snapshot${asOfMs === undefined ? '' : ` ${new Date(asOfMs).toISOString()}`} and ${dropped.zeroOpenInterest} have no open interest`,
    );
  }
  const grid = kept
    .sort(
      (a, b) =>
        a.tenorDays - b.tenorDays ||
        Number(a.isCall) - Number(b.isCall) ||
        a.moneyness - b.moneyness ||
        a.order - b.order,
    )
    .map(({ isCall, moneyness, tenorDays, weight }) => ({ isCall, moneyness, tenorDays, weight }));

  if (dropped.zeroOpenInterest)
    notes.push(`${dropped.zeroOpenInterest} of ${rows.length} instruments have no open interest and were left out`);
  if (dropped.expired) notes.push(`${dropped.expired} instruments expired at or before the snapshot and were left out`);
  if (dropped.overCapacity)
    notes.push(
      `${dropped.overCapacity} instruments with the smallest open interest were left out: a grid holds at most ${MAX_OPTION_SERIES}`,
    );
  if (notOptions) notes.push(`${notOptions} instruments are not options and were left out`);
  if (rows.some((row) => 'dateOnly' in row.expiry && row.expiry.dateOnly))
    notes.push(`expiry dates without a time were taken as ${EXPIRY_HOUR_UTC}:00 UTC`);

  return {
    grid,
    spot,
    asOf: asOfMs === undefined ? null : new Date(asOfMs).toISOString(),
    instruments: grid.length,
    rows: rows.length,
    dropped,
    source,
    notes,
  };
}

function snapshotSpot(rows: Row[], options: ChainOptions): number {
  const spots = rows.map((row) => row.spot).filter((s): s is number => s !== undefined);
  if (spots.length > 0) return median(spots);
  if (options.spot !== undefined) {
    if (!(options.spot > 0) || !Number.isFinite(options.spot))
      throw new ChainError(`the spot price ${options.spot} is not a positive price`);
    return options.spot;
  }
  throw new ChainError(
    'the spot price is unknown: add a spot (or index_price, underlying_price) column, or pass the spot',
  );
}

/** The latest row time (a snapshot is complete at its last row); undefined only when no row needs it. */
function snapshotTime(rows: Row[], options: ChainOptions): number | undefined {
  const times = rows.map((row) => row.asOfMs).filter((t): t is number => t !== undefined);
  // A loop, not Math.max(...times): spreading 100,000 arguments overflows the stack.
  if (times.length > 0) return times.reduce((latest, t) => (t > latest ? t : latest), -Infinity);
  if (options.asOf !== undefined) {
    const ms = typeof options.asOf === 'number' ? options.asOf : readTime(options.asOf);
    if (!Number.isFinite(ms))
      throw new ChainError(
        `the snapshot time ${quote(String(options.asOf))} is not an ISO date-time or ms since the epoch`,
      );
    return ms;
  }
  const needing = rows.find((row) => 'ms' in row.expiry);
  if (needing)
    throw new ChainError(
      `${needing.where}: the expiry is a date but the snapshot time is unknown: add an as_of (or timestamp) column, give expiries as days, or pass the snapshot time`,
    );
  return undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ── times ────────────────────────────────────────────────────────────────────────────────────

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date or date-time in ms since the epoch, NaN if it is not one. A time without an
 * offset is UTC (never the machine's zone: the same file must give the same grid everywhere).
 */
export function parseIsoTime(text: string): { ms: number; dateOnly: boolean } {
  const m = ISO.exec(text.trim());
  if (!m) return { ms: NaN, dateOnly: false };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const dateOnly = h === undefined;
  let ms = Date.UTC(
    +y,
    +mo - 1,
    +d,
    dateOnly ? EXPIRY_HOUR_UTC : +h,
    mi ? +mi : 0,
    s ? +s : 0,
    frac ? Math.round(Number(frac) * 1000) : 0,
  );
  const check = new Date(ms);
  if (
    check.getUTCMonth() !== +mo - 1 ||
    check.getUTCDate() !== +d ||
    (!dateOnly && (+h > 23 || +mi > 59 || (s !== undefined && +s > 59)))
  )
    return { ms: NaN, dateOnly };
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms, dateOnly };
}

/**
 * An expiry cell: an ISO date (08:00 UTC) or date-time, a number of days to expiry, or ms since
 * the epoch (Deribit's `expiration_timestamp`; a number from 1e11 up, which no tenor in days is).
 */
function readExpiry(text: string): Row['expiry'] | undefined {
  if (/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(text)) {
    const n = Number(text);
    if (n >= 1e11) return { ms: n };
    return Math.abs(n) <= MAX_TENOR_DAYS ? { days: n } : undefined;
  }
  const { ms, dateOnly } = parseIsoTime(text);
  return Number.isFinite(ms) ? { ms, dateOnly } : undefined;
}

/** A time cell: ISO, or a number since the epoch (ms, or seconds when below 1e11, i.e. before 1973 in ms). */
function readTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return n < 1e11 ? n * 1000 : n;
  }
  return parseIsoTime(text).ms;
}

function quote(value: string, max = 40): string {
  return quoteInput(value, max);
}

/**
 * Largest chain file read, in bytes. Real chains are far smaller (Deribit's whole BTC book
 * summary is under a megabyte; the 2020 chain with its quoted order books, 154 kB); this leaves
 * room for exports of many snapshots while keeping a mistaken file from filling the memory.
 */
export const MAX_CHAIN_BYTES = 64 * 1024 * 1024;

/** The message for a file over `MAX_CHAIN_BYTES`, naming its size and the limit. */
export function chainTooLarge(name: string, bytes: number): string {
  const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${quote(name)} is ${mb(bytes)}, more than a chain file may be (${MAX_CHAIN_BYTES / (1024 * 1024)} MB); an options chain is a few thousand rows: keep one snapshot per file`;
}
