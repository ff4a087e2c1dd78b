/**
 * Generators of untrusted input for the reliability properties (test/property/untrusted.property.test.ts):
 * values and keys an attacker or a careless paste would send — non-decimal numbers (NaN,
 * ±Infinity, 1e308, −0, hex, octal, binary), padded numbers, empty values, repeated and unknown
 * keys, Unicode (lone surrogates, bidi overrides, controls), quotes and markup, megabyte values,
 * links without `?` and with a hand-typed `+` — mixed with valid values drawn from the schema,
 * so most generated inputs also reach a run.
 *
 * A new untrusted surface (the embed's postMessage API, a new command) adds its payload
 * generator here, built from these pieces, and one row of `SURFACES` in the property test.
 */
import fc from 'fast-check';
import { CHAINS } from '../../src/model/chains.ts';
import { HISTORY_PATHS } from '../../src/model/history.ts';
import { PRESETS } from '../../src/model/presets.ts';
import { SCHEMA, type ParamKey, type ParamSpec } from '../../src/model/schema.ts';
import { B_PREFIX, PAGE_KEYS } from '../../src/state/location.ts';

/** Run sizes valid values stay under, so a thousand generated runs take seconds. */
export const SIZE_CAPS: Partial<Record<ParamKey, number>> = {
  ticks: 60,
  dealers: 60,
  accounts: 400,
  borrowers: 200,
  insurers: 20,
  shockStart: 40,
};

const MEGABYTE = 'x'.repeat(1 << 20);
/** A megabyte of text, for a field of a message or a key. */
export const MEGABYTE_TEXT = MEGABYTE;

/** Numbers written every way but plain decimal, and decimal ones at the edges. */
export const numberLike = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '+Infinity',
  '1e308',
  '1e309',
  '-1e308',
  '5e-324',
  '-0',
  '0x10',
  '0X1f',
  '0o17',
  '0b101',
  '1_000',
  ' 5',
  '5 ',
  '\t5\n',
  '\uFEFF5',
  '5\u200B',
  '',
  '+5',
  '1e+4',
  '.5',
  '5.',
  '1e',
  'e5',
  '--1',
  '0.1.2',
  '١٢',
  '５',
);

/** Text no parser should trust: markup, quotes, escapes, controls, bidi, surrogates, reserved names. */
export const nastyText = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE runs; --",
    'javascript:alert(1)',
    '%',
    '%zz',
    '%E0%A4%A',
    '%00',
    '\u0000',
    '\u001b[31mred\u001b[0m',
    '\u202Egnp.exe',
    '\u2028\u2029',
    '\ud800',
    '\udfff\ud800',
    '🙂'.repeat(30),
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '../../etc/passwd',
    'a&b=c',
    'a=b',
    '#frag',
    '?q',
    '+',
    ' ',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

/** A valid value of `spec`, within `SIZE_CAPS` for the sizes of a run. */
export function validValue(spec: ParamSpec): fc.Arbitrary<string> {
  if (spec.type === 'enum') return fc.constantFrom(...spec.options);
  const max = Math.min(spec.max, SIZE_CAPS[spec.key as ParamKey] ?? Infinity);
  const low = spec.minExclusive ? spec.min + spec.step : spec.min;
  return fc
    .integer({ min: 0, max: 1000 })
    .map((i) => low + ((max - low) * i) / 1000)
    .map((x) => String(spec.type === 'int' ? Math.round(x) : x));
}

/** A value for a key: valid for it most of the time, otherwise anything hostile. */
export function valueFor(key: string): fc.Arbitrary<string> {
  const spec = SCHEMA.find((s) => s.key === key);
  const hostile = fc.oneof(
    numberLike,
    nastyText,
    fc.constant(MEGABYTE),
    fc.double().map(String),
    fc.integer().map(String),
  );
  if (!spec) return hostile;
  return fc.oneof({ arbitrary: validValue(spec), weight: 9 }, { arbitrary: hostile, weight: 1 });
}

const paramKey = fc.constantFrom(...SCHEMA.map((s) => s.key));

/** Keys of a link: parameters mostly, run B's, the page's own, the version, unknown and hostile ones. */
export const linkKey = fc.oneof(
  { arbitrary: paramKey, weight: 8 },
  { arbitrary: paramKey.map((k) => `${B_PREFIX}${k}`), weight: 2 },
  { arbitrary: fc.constantFrom(...PAGE_KEYS.map((p) => (p.prefix ? `${p.key}gex` : p.key))), weight: 2 },
  { arbitrary: fc.constantFrom('v', 'b.v', 'b.', 'b.b.gex'), weight: 1 },
  { arbitrary: nastyText, weight: 2 },
  { arbitrary: fc.constant(MEGABYTE), weight: 1 },
);

/** A value for a link key: a page key's own values among the hostile ones. */
function linkValue(key: string): fc.Arbitrary<string> {
  if (key === 'v') return fc.oneof(fc.constant('1'), numberLike, nastyText);
  if (key === 'chain') return fc.oneof(fc.constantFrom(...Object.keys(CHAINS)), nastyText);
  if (key === 'history') return fc.oneof(fc.constantFrom(...Object.keys(HISTORY_PATHS)), nastyText);
  if (key === 'preset') return fc.oneof(fc.constantFrom(...PRESETS.map((p) => p.name)), nastyText);
  if (key === 'charts') return fc.oneof(fc.constantFrom('price', 'price,gex,loops', 'nope,price'), nastyText);
  if (key === 'controls') return fc.oneof(fc.constantFrom('leverage', 'gex,liqSpeed', 'nope'), nastyText);
  if (key === 'theme') return fc.oneof(fc.constantFrom('auto', 'light', 'dark'), nastyText);
  if (PAGE_KEYS.some((p) => !p.prefix && p.key === key)) return fc.oneof(fc.constantFrom('1', '0', 'false'), nastyText);
  return valueFor(key.startsWith(B_PREFIX) ? key.slice(B_PREFIX.length) : key);
}

export const linkEntry: fc.Arbitrary<[string, string]> = linkKey.chain((key) =>
  linkValue(key).map((value): [string, string] => [key, value]),
);

/** Entries of a link: none to a dozen, sometimes one key again and again. */
export const linkEntries: fc.Arbitrary<[string, string][]> = fc.oneof(
  fc.array(linkEntry, { maxLength: 12 }),
  fc
    .tuple(linkEntry, fc.integer({ min: 2, max: 5 }))
    .map(([entry, times]) => Array.from({ length: times }, (): [string, string] => entry)),
);

/**
 * The text of a link around its entries: a full link, a bare query, a link whose `?` is missing,
 * with a fragment, and each entry escaped as the page escapes it, or written raw as a person
 * types it (a `+` then stays a `+`; a raw `&` or `=` splits the entry, as it would).
 */
export const linkText: fc.Arbitrary<string> = fc
  .tuple(
    linkEntries,
    fc.constantFrom('http://127.0.0.1:4173/?', '?', '', 'https://example.org/cascade/?', 'http://127.0.0.1:4173/'),
    fc.boolean(),
    fc.constantFrom('', '#chart', '#?leverage=2'),
  )
  .map(([entries, prefix, raw, fragment]) => {
    // A lone surrogate cannot be percent-encoded: the page would write U+FFFD in its place.
    const encode = raw ? (s: string) => s : (s: string) => encodeURIComponent(wellFormed(s));
    return `${prefix}${entries.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}${fragment}`;
  });

/** `s` with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, ES2024). */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udfff]/gu, '\ufffd');
}

/** A flag of `run` or `greeks`: a parameter or option, valid or not, as `--name value` or `--name=value`, or junk. */
const runOption = fc.oneof(
  fc
    .constant('preset')
    .chain((k) => fc.tuple(fc.constant(k), fc.oneof(fc.constantFrom(...PRESETS.map((p) => p.name)), nastyText))),
  fc.constant('url').chain((k) => fc.tuple(fc.constant(k), linkText)),
  fc.constant('format').chain((k) => fc.tuple(fc.constant(k), fc.oneof(fc.constantFrom('json', 'csv'), nastyText))),
  fc
    .constant('engine')
    .chain((k) => fc.tuple(fc.constant(k), fc.oneof(fc.constantFrom('wasm', 'reference'), nastyText))),
  fc
    .constant('chain')
    .chain((k) =>
      fc.tuple(fc.constant(k), fc.constantFrom('small.csv', 'empty.csv', 'junk.csv', 'huge.csv', 'nope.csv')),
    ),
  fc.constant('out').chain((k) => fc.tuple(fc.constant(k), fc.constantFrom('run.out', '/nope/run.out'))),
);

/** A valid value of a `greeks` flag, in its own range; 0 now and then for vol and time (the limits). */
const greeksValue = (key: string): fc.Arbitrary<string> => {
  if (key === 'type') return fc.constantFrom('call', 'put');
  const [lo, hi] = {
    spot: [1, 2000],
    strike: [1, 2000],
    time: [0, 5],
    vol: [0, 3],
    rate: [-0.2, 0.2],
    dividend: [-0.2, 0.2],
  }[key]!;
  return fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 1000 }).map((i) => String(lo + ((hi - lo) * i) / 1000)), weight: 6 },
    { arbitrary: fc.constant(String(Math.max(lo, 0))), weight: 1 },
  );
};

const GREEKS_FLAGS = ['type', 'spot', 'strike', 'time', 'vol', 'rate', 'dividend'];

/** A flag as `--name value` or `--name=value`, or now and then with its value missing. */
const asTokens = ([name, value]: [string, string]): fc.Arbitrary<string[]> =>
  fc
    .integer({ min: 0, max: 20 })
    .map((i) => (i < 10 ? [`--${name}`, value] : i < 20 ? [`--${name}=${value}`] : [`--${name}`]));

/** A `greeks` line: every flag it takes, valid (rate and dividend as fractions), now and then a hostile one more, or a required one left out. */
const greeksArgs: fc.Arbitrary<string[]> = fc
  .tuple(
    fc.tuple(
      ...GREEKS_FLAGS.map((k) =>
        (k === 'rate' || k === 'dividend'
          ? fc.integer({ min: -20, max: 20 }).map((i) => String(i / 100))
          : greeksValue(k)
        ).map((v): [string, string] => [k, v]),
      ),
    ),
    fc.array(
      fc
        .constantFrom(...GREEKS_FLAGS)
        .chain((k) => fc.oneof(numberLike, nastyText, greeksValue(k)).map((v): [string, string] => [k, v])),
      { maxLength: 1 },
    ),
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 8 },
      { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 1 },
    ),
  )
  .chain(([flags, extra, drop]) =>
    fc
      .tuple(...[...flags.filter((_, i) => i !== drop), ...extra].map(asTokens))
      .map((tokens) => ['greeks', ...tokens.flat()]),
  );

const junkToken = fc.oneof(nastyText, numberLike, fc.constantFrom('--', '-h', '--help', '-x', 'run', '--=1', '---x'));

/** A whole command line: a command, then flags (valid, hostile or junk) in any order. */
export const cliArgs: fc.Arbitrary<string[]> = fc.oneof(
  {
    arbitrary: argsOf('run', fc.oneof({ arbitrary: paramFlag(), weight: 5 }, { arbitrary: runOption, weight: 1 })),
    weight: 8,
  },
  { arbitrary: greeksArgs, weight: 3 },
  {
    arbitrary: fc
      .tuple(
        fc.oneof(fc.constantFrom('presets', 'help', 'frobnicate'), nastyText),
        fc.array(junkToken, { maxLength: 3 }),
      )
      .map(([c, rest]) => [c, ...rest]),
    weight: 1,
  },
);

function paramFlag(): fc.Arbitrary<[string, string]> {
  return paramKey.chain((key) => valueFor(key).map((value): [string, string] => [key, value]));
}

function argsOf(command: string, flag: fc.Arbitrary<[string, string]>): fc.Arbitrary<string[]> {
  const token = fc.oneof(
    { arbitrary: flag.chain(asTokens), weight: 40 },
    { arbitrary: junkToken.map((t) => [t]), weight: 1 },
  );
  return fc.array(token, { maxLength: 6 }).map((tokens) => [command, ...tokens.flat()]);
}
