/**
 * Builds the real-market data the model ships (src/model/data/*.json) from the shared data folder
 * (../shared/data, see its README.md): the Deribit BTC chain of 14 May 2020 as a ready option grid,
 * and each crash's price path as closes in minutes from its alignment point (the start of the fall).
 * Run once, by hand, when the shared data changes:
 *
 *   npx tsx src/model/data/build.ts [path/to/shared/data]
 *
 * Sources are copied verbatim from the data README's table, so every file cites where it came from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseChain, parseCsv } from '../chain-import.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SHARED = path.resolve(process.argv[2] ?? path.join(ROOT, '../shared/data'));
const OUT = path.join(ROOT, 'src/model/data');

/** Minutes in one NYSE session (9:30–16:00): daily equity closes are spaced one session apart. */
const SESSION_MINUTES = 390;

interface PathSpec {
  id: string;
  file: string;
  label: string;
  asset: string;
  resolution: '1m' | '1h' | '1d';
  /** ISO time of the alignment close (a bar's close time), or the session date for daily data. */
  align: string;
  reason: string;
}

const PATHS: PathSpec[] = [
  {
    id: 'btc-1m-2025-10-10',
    file: 'binance_um_btcusdt_1m_2025-10-10_2045-2253utc.csv',
    label: 'BTC, 10 Oct 2025, 1-minute (Binance USDⓈ-M perpetual)',
    asset: 'BTC',
    resolution: '1m',
    align: '2025-10-10T21:05:00Z',
    reason:
      'The last local peak before the steepest fall: the highest close (115,006.9) of the 21:00–21:10 pause, after which the price collapsed to its 21:20 low. The window starts at 20:45, after the day\u2019s slide from about $122k (and a first leg at 20:50–20:56) had begun; those falls lie before the alignment.',
  },
  {
    id: 'btc-1m-2020-03-13',
    file: 'binance_um_btcusdt_1m_2020-03-13_0121-0343utc.csv',
    label: 'BTC, night of 12–13 Mar 2020 (Black Thursday), 1-minute (Binance USDⓈ-M perpetual)',
    asset: 'BTC',
    resolution: '1m',
    align: '2020-03-13T01:41:00Z',
    reason:
      'The last local peak (close 4,561.65 at 01:41) before the breakdown of 01:41–02:17; the price did not regain that level until the rebound at 02:31.',
  },
  {
    id: 'btc-1m-2021-05-19',
    file: 'binance_um_btcusdt_1m_2021-05-19_1219-1432utc.csv',
    label: 'BTC, 19 May 2021, 1-minute (Binance USDⓈ-M perpetual)',
    asset: 'BTC',
    resolution: '1m',
    align: '2021-05-19T12:36:00Z',
    reason:
      'The last local peak (close 38,085.09 at 12:36) before the collapse of 12:41–13:10; the drift from 12:20 is a slow prelude.',
  },
  ...(['btc', 'eth'] as const).map((coin): PathSpec => ({
    id: `${coin}-1h-2020-03`,
    file: `binance_${coin}usdt_1h_2020-03.csv`,
    label: `${coin.toUpperCase()}, 8–16 Mar 2020 (Black Thursday), hourly (Binance spot)`,
    asset: coin.toUpperCase(),
    resolution: '1h',
    align: '2020-03-12T00:00:00Z',
    reason:
      'The start of Black Thursday (12 Mar 2020, 00:00 UTC): ETH\u2019s last local peak (194.61) before the day\u2019s two legs down (10:00–11:00 and 23:00–02:00); BTC\u2019s peak (7,948.40) was one hour earlier and 0.2% higher. One instant for both coins, so they overlay.',
  })),
  ...(['btc', 'eth'] as const).map((coin): PathSpec => ({
    id: `${coin}-1h-2021-05`,
    file: `binance_${coin}usdt_1h_2021-05.csv`,
    label: `${coin.toUpperCase()}, 15–23 May 2021, hourly (Binance spot)`,
    asset: coin.toUpperCase(),
    resolution: '1h',
    align: '2021-05-19T09:00:00Z',
    reason:
      'BTC\u2019s last local peak (close 40,465.04 at 09:00 UTC) before the steepest hour (12:00–13:00 on 19 May); ETH\u2019s peak was one hour earlier and 0.2% higher. One instant for both coins, so they overlay.',
  })),
  ...([
    ['sp500', 'sp500_daily_1987-01_1988-03.csv', 'S&P 500'],
    ['djia', 'djia_daily_close_1987-01_1988-03.csv', 'Dow Jones Industrial Average'],
  ] as const).map(([id, file, name]): PathSpec => ({
    id: `${id}-1d-1987`,
    file,
    label: `${name}, Jan 1987 – Mar 1988, daily close`,
    asset: name,
    resolution: '1d',
    align: '1987-10-16',
    reason:
      'The close of Friday 16 Oct 1987, the last before the one-session crash of Monday 19 Oct. Daily closes cannot show a peak inside that session, and the preset tells the crash day; the slide of 14–16 Oct is its prelude.',
  })),
];

/**
 * The data README's table: file name → its description and source. A source "same" is the row
 * above's; a description "same, <when>" is the row above's kind of data (up to its last comma)
 * followed by <when>.
 */
function readmeTable(): Map<string, { what: string; source: string }> {
  const table = new Map<string, { what: string; source: string }>();
  let previous = { kind: '', source: '' };
  for (const line of readFileSync(path.join(SHARED, 'README.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !cells[1].includes('`')) continue;
    const [, files, what, , source] = cells;
    const same = what.startsWith('same, ');
    const row = { what: same ? previous.kind + what.slice('same'.length) : what, source: source === 'same' ? previous.source : source };
    for (const [, file] of files.matchAll(/`([^`]+)`/g)) table.set(file, row);
    previous = { kind: same ? previous.kind : what.slice(0, what.lastIndexOf(', ')), source: row.source };
  }
  return table;
}

function readRows(file: string): Record<string, string>[] {
  const [header, ...records] = parseCsv(readFileSync(path.join(SHARED, file), 'utf8'));
  return records.map((r) => Object.fromEntries(header.fields.map((name, i) => [name, r.fields[i]])));
}

/** Close times (ms) and closes, ascending. Kline times are bar opens: a close is at the bar's end. */
function closes(spec: PathSpec): { times: number[]; close: number[]; dates: string[] } {
  const rows = readRows(spec.file);
  const bar = { '1m': 60_000, '1h': 3_600_000, '1d': 0 }[spec.resolution];
  const points = rows.map((row) => {
    // The equity files hold float32 noise (246.4499969482422): indices are quoted to the cent.
    if (spec.resolution === '1d') return { time: Date.parse(`${row.Date}T00:00:00Z`), close: Math.round(Number(row.Close) * 100) / 100, date: row.Date };
    const open = Number(row.open_time ?? row.unix);
    const ms = open < 1e11 ? open * 1000 : open;
    return { time: ms + bar, close: Number(row.close), date: '' };
  });
  points.sort((a, b) => a.time - b.time);
  for (const p of points) if (!(p.close > 0) || !Number.isFinite(p.time)) throw new Error(`${spec.file}: bad row ${JSON.stringify(p)}`);
  return { times: points.map((p) => p.time), close: points.map((p) => p.close), dates: points.map((p) => p.date) };
}

function buildPath(spec: PathSpec, readme: ReturnType<typeof readmeTable>): object {
  const cited = readme.get(spec.file);
  if (!cited) throw new Error(`${spec.file} is not in the data README`);
  const { times, close, dates } = closes(spec);
  const daily = spec.resolution === '1d';
  const alignIndex = daily ? dates.indexOf(spec.align) : times.indexOf(Date.parse(spec.align));
  if (alignIndex < 0) throw new Error(`${spec.id}: no close at ${spec.align}`);
  const minutes = daily ? times.map((_, i) => (i - alignIndex) * SESSION_MINUTES) : times.map((t) => (t - times[alignIndex]) / 60_000);
  return {
    id: spec.id,
    label: spec.label,
    asset: spec.asset,
    resolution: spec.resolution,
    clock: daily ? 'session' : 'utc',
    file: spec.file,
    description: cited.what,
    source: cited.source,
    alignment: { time: daily ? `${spec.align} close` : spec.align, close: close[alignIndex], reason: spec.reason },
    ...(daily ? { firstDate: dates[0], lastDate: dates.at(-1) } : { first: new Date(times[0]).toISOString(), last: new Date(times.at(-1)!).toISOString() }),
    minutes,
    close,
  };
}

/** Pretty metadata, one compact line per array, so the files diff and read well. */
function toJson(value: Record<string, unknown>): string {
  const lines = Object.entries(value).map(([key, v]) => {
    let text = JSON.stringify(v, null, 2).replaceAll('\n', '\n  ');
    if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) text = JSON.stringify(v);
    if (Array.isArray(v) && v.every((x) => Array.isArray(x))) text = `[\n    ${v.map((x) => JSON.stringify(x)).join(',\n    ')}\n  ]`;
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

const readme = readmeTable();

const chainFile = 'deribit_btc_options_2020-05-14.csv';
const chain = parseChain(readFileSync(path.join(SHARED, chainFile), 'utf8'), chainFile);
const cited = readme.get(chainFile)!;
writeFileSync(
  path.join(OUT, 'deribit-btc-2020-05-14.json'),
  toJson({
    file: chainFile,
    description: cited.what,
    source: cited.source,
    spot: chain.spot,
    asOf: chain.asOf,
    rows: chain.rows,
    dropped: chain.dropped,
    columns: ['isCall', 'moneyness', 'tenorDays', 'weight'],
    grid: chain.grid.map((s) => [s.isCall ? 1 : 0, s.moneyness, s.tenorDays, s.weight]),
  }),
);

for (const spec of PATHS) {
  writeFileSync(path.join(OUT, `history-${spec.id}.json`), toJson(buildPath(spec, readme) as Record<string, unknown>));
}
console.log(`wrote ${PATHS.length} price paths and the Deribit chain (${chain.instruments} series) to ${path.relative(ROOT, OUT)}`);
