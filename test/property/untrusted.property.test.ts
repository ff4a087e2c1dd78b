/**
 * Untrusted input at scale, as properties (fast-check, seeded, so a failure replays): generated
 * CLI command lines, links and chain files (test/support/hostile.ts) against the guarantees of
 * the README's Reliability section —
 * - the CLI exits 0 with output that parses and holds no NaN, Infinity or stray null, and takes
 *   every parameter flag as written; or exits 2 with one line of bounded length that names the
 *   parameter and its allowed range; never 1, never a stack trace;
 * - a link always gives a full valid parameter set; it gives no notice exactly when every entry
 *   was taken as written; notices are capped and short, their user text escaped;
 * - a chain file gives a valid grid or one bounded ChainError.
 *
 * `npm test` runs each property on a few hundred inputs; `npm run fuzz` (FUZZ=full) on at least
 * 10,000. Each surface is one row of `SURFACES`: a new untrusted input is a new row with its
 * generator. The widget's are two rows: what a host page (or any window) posts to it — never a
 * throw, an answer to everything addressed to it, a `set` that is all or nothing with values as
 * sent, refusals short and escaped, naming the parameter and its range — and its link's flags.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CliDeps } from '../../src/cli/deps.ts';
import { GREEKS_INPUTS } from '../../src/cli/greeks.ts';
import { MAX_ERROR_CHARS } from '../../src/cli/main.ts';
import { enginePool } from '../../src/model/batch.ts';
import { ChainError, parseChain } from '../../src/model/chain-import.ts';
import type { Engine, EngineKind } from '../../src/model/engine.ts';
import { ReferenceEngine } from '../../src/model/reference/engine.ts';
import { PARAM_KEYS, SCHEMA, defaultParams, paramSpec, type Params } from '../../src/model/schema.ts';
import { GAPPED_SERIES } from '../../src/model/series.ts';
import { ParamError, parseStrict, parseValue } from '../../src/model/validate.ts';
import {
  B_PREFIX,
  CURSOR_KEY,
  STRESS_KEY,
  decodeStress,
  pageKeyOf,
  readLinkStrict,
  readLocation,
} from '../../src/state/location.ts';
import { MAX_NOTICES, VERSION_KEY, readLinkEntries } from '../../src/state/url.ts';
import { isChainId } from '../../src/model/chains.ts';
import { isHistoryId } from '../../src/model/history.ts';
import { PRESETS, findPreset } from '../../src/model/presets.ts';
import { readCommand } from '../../src/embed/protocol.ts';
import { EMBED_CHART_NAMES, THEMES, readEmbedLocation } from '../../src/state/embed.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../src/sim/wasm-node.ts';
import { cli } from '../unit/cli/harness.ts';
import {
  MEGABYTE_TEXT,
  SIZE_CAPS,
  cliArgs,
  linkText,
  nastyText,
  numberLike,
  validValue,
  valueFor,
} from '../support/hostile.ts';

/** Inputs per property: a few hundred in `npm test`, the full count in `npm run fuzz`. */
const FULL = process.env.FUZZ === 'full';
const runs = (short: number, full: number) => ({ seed: 20261113, numRuns: FULL ? full : short });

/** Characters a message must never show raw: controls (but the final newline), bidi overrides, separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const RAW_INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;

// ── the CLI ───────────────────────────────────────────────────────────────────────────────────

let wasm: WasmEngine;
beforeAll(async () => {
  wasm = new WasmEngine(await loadEngineNode('release'));
});

const SMALL_CHAIN = 'type,strike,expiry,open_interest,spot\ncall,3300,30,1500,3000\nput,2700,7,2500,3000\n';
const FILES = { 'small.csv': SMALL_CHAIN, 'empty.csv': '', 'junk.csv': '"unclosed,\n<script>', 'huge.csv': '' };

/** The real engines (one WASM instance reused, as the page's worker reuses it), real Greeks, files in memory. */
const realDeps: Partial<CliDeps> & { files: Record<string, string> } = {
  files: FILES,
  createEngine: async (kind: EngineKind): Promise<Engine> => (kind === 'wasm' ? wasm : new ReferenceEngine()),
  fileSize: async (path: string) => {
    if (path === 'huge.csv') return 200 * 1024 * 1024;
    if (!(path in FILES)) throw new Error(`ENOENT: no such file or directory, stat '${path}'`);
    return FILES[path as keyof typeof FILES].length;
  },
  greeks: async (option) => (await import('../../src/cli/deps.ts')).nodeDeps.greeks(option),
  createPool: async (kind: EngineKind) => enginePool(kind === 'wasm' ? wasm : new ReferenceEngine()),
  cores: 1,
  stderrTTY: false,
};

/**
 * A run's size comes from its flags, else from the link or preset, else from the defaults (50,000
 * accounts, 720 ticks): size flags capped by `SIZE_CAPS` go first, so ten thousand runs take
 * minutes, and a size the generated line gives itself, after them, still wins.
 */
function bounded(argv: string[]): string[] {
  if (!['run', ...Object.keys(BATCH_BOUNDS)].includes(argv[0])) return argv;
  const caps = Object.entries(SIZE_CAPS).flatMap(([key, cap]) => [`--${key}`, String(cap)]);
  // A batch command's own size: a few runs, on one engine (realDeps.createPool), flags after these win.
  return [argv[0], ...caps, ...(BATCH_BOUNDS[argv[0]] ?? []), ...argv.slice(1).filter(notHuge(argv[0]))];
}

/** What keeps a generated batch command to a handful of small runs. */
const BATCH_BOUNDS: Record<string, string[]> = {
  ensemble: ['--seeds', '1-3', '--workers', '1'],
  attribute: ['--workers', '1', '--method', 'sampled', '--permutations', '4'],
  sweep: ['--x', 'leverage=2:20:2', '--workers', '1'],
};

/** Drops a generated seed range of thousands and 2-D sweeps' second axis (each fine, but thousands of runs). */
function notHuge(command: string): (token: string, i: number, tokens: string[]) => boolean {
  if (command === 'run') return () => true;
  return (token, i, tokens) => {
    const value = token.includes('=') && token.startsWith('--') ? token.slice(token.indexOf('=') + 1) : token;
    const flag = token.startsWith('--') ? token : tokens[i - 1];
    return (
      !(flag?.startsWith('--seeds') || flag?.startsWith('--permutations') || flag?.startsWith('--y')) || value === ''
    );
  };
}

/** The last value given to each parameter flag of a `run` line, as the CLI reads flags. */
function paramFlags(argv: string[]): Map<string, string> {
  const given = new Map<string, string>();
  for (let i = 1; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    const value = eq < 0 ? argv[i + 1] : token.slice(eq + 1);
    if (eq < 0) i++;
    if (paramSpec(name) && value !== undefined) given.set(name, value);
  }
  return given;
}

/** Every number finite; null only where a series has no value (GAPPED_SERIES, the history path). */
function expectFiniteJson(value: unknown, path: string): void {
  if (value === null) {
    // A chain whose expiries are all in days has no snapshot time (src/model/chain-import.ts).
    const gap =
      [...GAPPED_SERIES].some((key) => path.startsWith(`series.${key}[`)) ||
      path.startsWith('series.history[') ||
      path === 'chain.asOf';
    expect(gap, `null at ${path}`).toBe(true);
  } else if (typeof value === 'number') expect(Number.isFinite(value), path).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectFiniteJson(v, `${path}[${i}]`));
  else if (typeof value === 'object')
    for (const [k, v] of Object.entries(value!)) expectFiniteJson(v, path ? `${path}.${k}` : k);
}

async function checkCommandLine(argv: string[]): Promise<void> {
  const h = await cli(bounded(argv), realDeps);
  expect([0, 2], `exit ${h.status}: ${h.stderr}`).toContain(h.status);
  expect(h.stdout + h.stderr).not.toMatch(/\bat .*\.ts:\d+|Error: |\n\s+at /); // no stack trace
  const lines = h.stderr === '' ? [] : h.stderr.replace(/\n$/, '').split('\n');
  for (const line of lines) {
    expect(line.length, line.slice(0, 200)).toBeLessThanOrEqual(MAX_ERROR_CHARS + 20);
    expect(RAW_INVISIBLE.test(line), JSON.stringify(line.slice(0, 200))).toBe(false);
    expect(line.startsWith('cascade-lab: ')).toBe(true);
  }
  if (h.status === 2) {
    expect(h.stdout).toBe('');
    expect(lines).toHaveLength(1);
    // A line about a parameter names it and its allowed range.
    const [, key] = /^cascade-lab: ([A-Za-z]+): /.exec(lines[0]) ?? [];
    const spec = argv[0] === 'greeks' ? GREEKS_INPUTS.find((input) => input.key === key) : paramSpec(key ?? '');
    if (spec && !lines[0].includes('no finite gamma')) expect(lines[0]).toContain(`${key} (${spec.label}) must be `);
    return;
  }
  const usage = h.stdout.startsWith('cascade-lab: watch a crypto market');
  if (!usage) expect(h.stdout).not.toMatch(/\bNaN\b|\bInfinity\b/);
  for (const line of lines) expect(line).toMatch(/^cascade-lab: (note: |wrote )/);
  expect(lines.filter((l) => l.startsWith('cascade-lab: note: ')).length).toBeLessThanOrEqual(MAX_NOTICES + 1);
  if (usage) return;
  const output = h.stdout || h.files.get('run.out') || '';
  if (argv[0] === 'run' && output.startsWith('{')) {
    const report = JSON.parse(output);
    expectFiniteJson(report, '');
    // Every parameter flag was taken as written (the last one of each).
    for (const [key, raw] of paramFlags(bounded(argv))) {
      const parsed = parseValue(paramSpec(key)!, raw);
      expect(parsed.ok, `${key}=${raw}`).toBe(true);
      if (parsed.ok) expect(report.params[key], key).toBe(parsed.value);
    }
    expect(() => parseStrict(Object.entries(report.params as Params))).not.toThrow();
  } else if (argv[0] === 'run' && output.startsWith('tick,')) {
    const rows = output.trimEnd().split('\n');
    for (const cell of rows.slice(1).flatMap((row) => row.split(',')))
      if (cell !== '') expect(Number.isFinite(Number(cell)), cell).toBe(true);
  } else if (argv[0] === 'greeks' && output !== '') expectFiniteJson(JSON.parse(output), '');
}

// ── links ─────────────────────────────────────────────────────────────────────────────────────

/** Whether the page should take every entry of a link as written: then, and only then, no notice. */
function takenAsWritten(text: string): boolean {
  const { entries, missingQuestionMark } = readLinkEntries(text);
  if (missingQuestionMark) return false;
  const counts = new Map<string, number>();
  for (const [key, value] of entries) {
    if (key === VERSION_KEY) {
      if (value !== '1') return false;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      continue;
    }
    const page = pageKeyOf(key);
    const name = key.startsWith(B_PREFIX) ? key.slice(B_PREFIX.length) : key;
    if (page && !key.startsWith(B_PREFIX)) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (key === 'chain' && !isChainId(value)) return false;
      if (key === 'history' && !isHistoryId(value)) return false;
      if (key === 'preset' && !findPreset(value)) return false;
      if (key === CURSOR_KEY && !/^\d{1,6}$/.test(value)) return false;
      if (key === STRESS_KEY && !decodeStress(value)) return false;
      continue;
    }
    const spec = paramSpec(name);
    if (!spec || !parseValue(spec, value).ok) return false;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.values()].every((n) => n === 1);
}

function checkLink(text: string): void {
  const read = readLocation(text);
  // A full, valid parameter set, for run A and for run B.
  expect(Object.keys(read.params).sort()).toEqual(SCHEMA.map((s) => s.key).sort());
  expect(() => parseStrict(Object.entries(read.params))).not.toThrow();
  expect(() => parseStrict(Object.entries({ ...read.params, ...read.overridesB }))).not.toThrow();
  // Notices: capped, short, user text escaped; none exactly when nothing was changed.
  expect(read.notices.length).toBeLessThanOrEqual(MAX_NOTICES + 1);
  for (const { message } of read.notices) {
    expect(message.length, message.slice(0, 200)).toBeLessThanOrEqual(300);
    expect(RAW_INVISIBLE.test(message), JSON.stringify(message)).toBe(false);
  }
  expect(read.notices.length === 0, `${text.slice(0, 200)} → ${JSON.stringify(read.notices)}`).toBe(
    takenAsWritten(text),
  );
  // The CLI's strict reader: a link, or one bounded ParamError.
  try {
    const strict = readLinkStrict(text, read.params);
    if (read.notices.length === 0) expect(strict.params).toEqual(read.params);
  } catch (error) {
    expect(error).toBeInstanceOf(ParamError);
    expect((error as Error).message.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
  }
}

// ── chain files ───────────────────────────────────────────────────────────────────────────────

const chainCell = fc.oneof(
  fc.constantFrom('call', 'put', 'C', 'P', '3000', '30', '2024-06-28', '1500', '0', '-1', '1e400'),
  numberLike,
  nastyText,
);
const chainHeader = fc.shuffledSubarray(
  ['type', 'strike', 'expiry', 'open_interest', 'spot', 'timestamp', 'note', 'instrument_name'],
  { minLength: 0 },
);
const chainText = fc
  .tuple(chainHeader, fc.array(fc.array(chainCell, { maxLength: 9 }), { maxLength: 20 }), fc.boolean())
  .map(([header, rows, quoted]) =>
    [header, ...rows]
      .map((row) => row.map((cell) => (quoted ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','))
      .join(quoted ? '\r\n' : '\n'),
  );

function checkChain(text: string): void {
  try {
    const chain = parseChain(text, 'fuzz.csv');
    expect(chain.grid.length).toBeGreaterThan(0);
    for (const s of chain.grid)
      for (const x of [s.moneyness, s.tenorDays, s.weight]) expect(Number.isFinite(x) && x > 0).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(ChainError);
    expect((error as Error).message.length).toBeLessThanOrEqual(400);
  }
}

// ── the widget: its host's messages and its link ──────────────────────────────────────────────

const WIDGET = { params: defaultParams(), ticks: defaultParams().ticks as number };

/** A hostile value for a message field: any value structured cloning carries, hostile text and numbers. */
const messageValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  nastyText,
  numberLike,
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, 5e-324, 2 ** 53, -1, 0.5, 10n, MEGABYTE_TEXT),
  fc.constantFrom(...PARAM_KEYS).chain((key) => valueFor(key)),
);

/** `params` of a `set`: mostly parameter keys with valid values, then hostile keys and values. */
const setParams = fc.oneof(
  fc.dictionary(
    fc.oneof(
      { arbitrary: fc.constantFrom(...PARAM_KEYS), weight: 6 },
      { arbitrary: nastyText, weight: 1 },
      { arbitrary: fc.constantFrom('__proto__', 'constructor', MEGABYTE_TEXT), weight: 1 },
    ),
    messageValue,
    { maxKeys: 12 },
  ),
  fc.constantFrom(...PARAM_KEYS).chain((key) => validValue(paramSpec(key)!).map((value) => ({ [key]: value }))),
  fc.array(fc.constantFrom(...PARAM_KEYS)).map((keys) => Object.fromEntries(keys.map((k) => [k, WIDGET.params[k]]))),
  fc.constant(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]))),
  messageValue,
);

/** What a host (or any window that can reach the widget) might post to it. */
const payload = fc.oneof(
  fc.anything(),
  fc.record(
    {
      type: fc.oneof(
        fc.constantFrom('set', 'play', 'pause', 'seek', 'preset', 'ready', 'error', '').map((c) => `cascade-lab:${c}`),
        nastyText.map((c) => `cascade-lab:${c}`),
        fc.constant(`cascade-lab:${MEGABYTE_TEXT}`),
        messageValue,
      ),
      version: fc.oneof(fc.constant(1), messageValue),
      params: setParams,
      tick: fc.oneof(fc.integer({ min: -5, max: WIDGET.ticks + 5 }), messageValue),
      name: fc.oneof(fc.constantFrom(...PRESETS.map((p) => p.name)), messageValue),
      id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), messageValue),
    },
    { requiredKeys: [] },
  ),
);

const QUOTED_MAX = 40 * 6 + 1;

function checkMessage(sent: unknown): void {
  let data: unknown;
  try {
    data = structuredClone(sent); // as postMessage delivers it
  } catch {
    return; // not something a window can post
  }
  const received = readCommand(data, WIDGET);
  expect(['ignore', 'command', 'refuse']).toContain(received.kind);
  const type = (data as { type?: unknown } | null)?.type;
  const ours = typeof type === 'string' && type.startsWith('cascade-lab:');
  // Anything not addressed to the widget is ignored without a reply; everything addressed to it gets an answer.
  expect(received.kind === 'ignore', String(typeof type === 'string' ? type.slice(0, 80) : typeof type)).toBe(
    !ours || !isPlain(data),
  );
  if (received.kind === 'command') {
    const { command } = received;
    if (command.kind === 'set') {
      // A full valid parameter set, each value exactly the one sent (or kept): never NaN, Infinity or a clamp.
      expect(() => parseStrict(Object.entries(command.params))).not.toThrow();
      const sentParams = (data as { params: Record<string, unknown> }).params;
      for (const key of PARAM_KEYS)
        if (Object.hasOwn(sentParams, key)) {
          const parsed = parseValue(paramSpec(key)!, sentParams[key] as string | number);
          expect(parsed.ok && parsed.value === command.params[key], key).toBe(true);
        } else expect(command.params[key]).toBe(WIDGET.params[key]);
    }
    if (command.kind === 'seek') expect(Number.isInteger(command.tick) && command.tick <= WIDGET.ticks).toBe(true);
  }
  if (received.kind === 'refuse') {
    const { error } = received;
    // One short line the widget also shows as a notice: bounded, user text cut and escaped.
    expect(error.type).toBe('cascade-lab:error');
    expect(error.message.length, error.message.slice(0, 200)).toBeLessThanOrEqual(MAX_ERROR_CHARS);
    // At most 40 characters of host text, each perhaps an escape of six (\u202e), and an ellipsis.
    expect(error.command.length).toBeLessThanOrEqual(QUOTED_MAX);
    expect(error.problems.length).toBeLessThanOrEqual(10);
    for (const text of [error.message, error.command, ...error.problems.flatMap((p) => [p.key, p.message])]) {
      expect(RAW_INVISIBLE.test(text), JSON.stringify(text.slice(0, 200))).toBe(false);
      expect(text).not.toMatch(/\[object /);
    }
    for (const problem of error.problems) {
      expect(problem.message.length).toBeLessThanOrEqual(300);
      // A problem about a parameter names it and its allowed range.
      const spec = paramSpec(problem.key);
      if (spec) expect(problem.message).toContain(`${spec.label} (${spec.key}) must be `);
    }
    if (error.id !== undefined) expect(String(error.id).length).toBeLessThanOrEqual(QUOTED_MAX);
  }
}

function isPlain(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A widget's link: `embed=1` and its flags among the entries of a hostile link, keys in any case. */
const embedLinkText = fc
  .tuple(
    linkText,
    fc.array(
      fc.tuple(
        fc.constantFrom('charts', 'controls', 'theme', 'autoplay', 'Charts', 'THEME', 'liq-speed', 'LEVERAGE'),
        fc.oneof(
          fc.constantFrom(
            'price,gex,loops',
            'price,price',
            'nope',
            '',
            'dark',
            'light',
            '1',
            '0',
            'yes',
            'leverage,gex',
          ),
          fc.array(fc.constantFrom('price', 'gex', 'nope', '<b>', 'x'), { maxLength: 300 }).map((a) => a.join(',')),
          nastyText,
        ),
      ),
      { maxLength: 5 },
    ),
  )
  .map(([link, flags]) => {
    const extra = flags.map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/gu, '\ufffd'))}`);
    const [head, fragment = ''] = link.split('#');
    const joiner = head.includes('?') ? '&' : '?';
    return `${head}${joiner}embed=1&${extra.join('&')}${fragment ? `#${fragment}` : ''}`;
  });

function checkEmbedLink(text: string): void {
  const search = text.includes('?') ? text.slice(text.indexOf('?')).split('#')[0] : '';
  const read = readEmbedLocation(search);
  expect(Object.keys(read.params).sort()).toEqual(SCHEMA.map((s) => s.key).sort());
  expect(() => parseStrict(Object.entries(read.params))).not.toThrow();
  const { flags } = read;
  expect(flags.charts.length).toBeGreaterThan(0);
  for (const chart of flags.charts) expect(EMBED_CHART_NAMES).toContain(chart);
  expect(new Set(flags.charts).size).toBe(flags.charts.length);
  for (const key of flags.controls) expect(PARAM_KEYS).toContain(key);
  expect(THEMES).toContain(flags.theme);
  expect(typeof flags.autoplay).toBe('boolean');
  expect(read.notices.length).toBeLessThanOrEqual(MAX_NOTICES + 1);
  for (const { message } of read.notices) {
    expect(message.length, message.slice(0, 200)).toBeLessThanOrEqual(300);
    expect(RAW_INVISIBLE.test(message), JSON.stringify(message)).toBe(false);
  }
}

// ── the surfaces ──────────────────────────────────────────────────────────────────────────────

/**
 * One row per untrusted input: how many inputs in `npm test` and in `npm run fuzz`, and the
 * property over its generator.
 */
const SURFACES: {
  name: string;
  short: number;
  full: number;
  check: (parameters: { seed: number; numRuns: number }) => unknown;
}[] = [
  {
    name: 'CLI command lines',
    short: 200,
    full: 10_000,
    check: (parameters) => fc.assert(fc.asyncProperty(cliArgs, checkCommandLine), parameters),
  },
  {
    name: 'links, read by the page and by `run --url`',
    short: 500,
    full: 20_000,
    check: (parameters) => fc.assert(fc.property(linkText, checkLink), parameters),
  },
  {
    name: 'widget messages (postMessage)',
    short: 1000,
    full: 20_000,
    check: (parameters) => fc.assert(fc.property(payload, checkMessage), parameters),
  },
  {
    name: 'widget links (embed=1)',
    short: 300,
    full: 10_000,
    check: (parameters) => fc.assert(fc.property(embedLinkText, checkEmbedLink), parameters),
  },
  {
    name: 'chain files',
    short: 500,
    full: 10_000,
    check: (parameters) => fc.assert(fc.property(chainText, checkChain), parameters),
  },
];

describe('untrusted input', () => {
  test.each(SURFACES)(
    '$name',
    async ({ short, full, check }) => {
      await check(runs(short, full));
    },
    FULL ? 3_600_000 : 120_000,
  );
});
