/**
 * What a link or a flag may hold, and what is said about what it may not: decimal numbers only,
 * a `+` that stays a plus, a link without `?`, bounded echoes of unknown names, repeated keys,
 * and at most `MAX_NOTICES` notices (and a count of the rest).
 */
import { describe, expect, test } from 'vitest';
import { defaultParams, describeRange, paramSpec, type Params } from '../../../src/model/schema.ts';
import {
  ParamError,
  parseDecimal,
  parseStrict,
  parseValue,
  quoteInput,
  visibleInput,
} from '../../../src/model/validate.ts';
import { readLocation } from '../../../src/state/location.ts';
import { MAX_NOTICES, decodeQuery, decodeQueryStrict, readLinkEntries } from '../../../src/state/url.ts';

const params = (overrides: Partial<Params>): Params => ({ ...defaultParams(), ...overrides });

describe('numbers are decimal', () => {
  test.each(['25', '-0.5', '.5', '5.', '+3', '2e10', '1E-4', '1e+4', '0012'])('%s is a number', (text) => {
    expect(parseDecimal(text)).toBe(Number(text));
  });

  test.each([
    '0x10',
    '0o7',
    '0b101',
    'Infinity',
    '-Infinity',
    'NaN',
    '',
    ' 5',
    '5 ',
    '\uFEFF5',
    '1_000',
    '1e',
    'e5',
    '--1',
    '1e400',
    '5'.repeat(101),
  ])('%j is not', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });

  test('−0 is read as 0', () => {
    expect(Object.is(parseDecimal('-0'), 0)).toBe(true);
    expect(parseValue(paramSpec('gex')!, -0)).toEqual({ ok: true, value: 0 });
  });

  test('a long run of digits is refused at once, not matched in quadratic time', () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(parseDecimal(`${'1'.repeat(1_000_000)}x`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('the CLI refuses hex, padding and Infinity, saying what a value must look like', () => {
    const seed = paramSpec('seed')!;
    expect(() => parseStrict([['seed', '0x10']])).toThrow(
      `seed: "0x10" is not allowed; seed (Seed) must be ${describeRange(seed)}, written in decimal (like 25, -0.5 or 2e10)`,
    );
    expect(() => parseStrict([['leverage', ' 5']])).toThrow(
      /^leverage: " 5" is not allowed; .* must be a number in \[1, 100\], with no spaces or invisible characters around it$/,
    );
    expect(() => parseStrict([['leverage', '\uFEFF5']])).toThrow(/^leverage: "\\ufeff5" is not allowed/);
    expect(() => parseStrict([['leverage', 'Infinity']])).toThrow(
      /^leverage: "Infinity" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]$/,
    );
    expect(() => parseStrict([['impactLaw', 'sqrt ']])).toThrow(/^impactLaw: "sqrt " is not allowed/);
  });

  test('the seed range reads as an integer, not 4.294967295e9', () => {
    expect(describeRange(paramSpec('seed')!)).toBe('an integer in [0, 4294967295]');
    expect(describeRange(paramSpec('dailyVolume')!)).toMatch(/e\d+\]$/);
  });

  test('a link reads a padded number with a notice, refuses hex with one', () => {
    const { params: read, notices } = decodeQuery('?leverage=%205%20&seed=0x10&gex=0b1&impactLaw=%20sqrt');
    expect(read).toEqual(params({ leverage: 5, impactLaw: 'sqrt' }));
    expect(notices.map((n) => n.message)).toEqual([
      'Leverage (leverage): “ 5 ” had spaces or invisible characters around it; read as 5.',
      `Seed (seed) must be ${describeRange(paramSpec('seed')!)}; “0x10” was ignored (only decimal numbers are read), using 7.`,
      expect.stringMatching(/^Dealer gamma .* “0b1” was ignored \(only decimal numbers are read\), using -0\.5\.$/),
      'Impact law (impactLaw): “ sqrt” had spaces or invisible characters around it; read as sqrt.',
    ]);
  });
});

describe('the text of a link', () => {
  test('a + stays a plus: 1e+4 and +5 read as written', () => {
    expect(decodeQuery('?dailyVolume=2e+10&leverage=+5')).toMatchObject({
      params: params({ dailyVolume: 2e10, leverage: 5 }),
      notices: [],
    });
    expect(readLinkEntries('?a=1+2&b=%2B').entries).toEqual([
      ['a', '1+2'],
      ['b', '+'],
    ]);
  });

  test('a malformed escape is kept as written and named', () => {
    const { params: read, notices } = decodeQuery('?leverage=%zz5&gex=%E0%A4%A');
    expect(read).toEqual(defaultParams());
    expect(notices.map((n) => n.message)).toEqual([
      expect.stringContaining('“%zz5” was ignored'),
      expect.stringContaining('“%E0%A4%A” was ignored'),
    ]);
  });

  test('a link without ? keeps its parameters, with a notice (page) or an error (CLI)', () => {
    for (const link of ['http://127.0.0.1:4173/v=1&seed=3&leverage=20', '127.0.0.1:4173/&seed=3&leverage=20']) {
      const { params: read, notices } = decodeQuery(link);
      expect(read).toEqual(params({ seed: 3, leverage: 20 }));
      expect(notices[0].message).toMatch(/^This link has no “\?” before its parameters; they were read from its end/);
      expect(() => decodeQueryStrict(link)).toThrow(ParamError);
      expect(() => decodeQueryStrict(link)).toThrow(/^url: the link ".*" has no "\?" before its parameters; /);
    }
    // A link without parameters has nothing to lose.
    expect(decodeQuery('https://example.org/cascade/')).toEqual({ params: defaultParams(), notices: [], version: 1 });
  });

  test('a key given twice keeps its last valid value, with a notice', () => {
    const { params: read, notices } = decodeQuery('?leverage=20&leverage=30&leverage=abc');
    expect(read.leverage).toBe(30);
    expect(notices.at(-1)!.message).toBe('Leverage (leverage) was given 3 times; the last valid value, 30, was used.');
  });
});

describe('bounded echoes', () => {
  const huge = 'x'.repeat(1_049_375);

  test('unknown names and values are cut to 40 characters, invisible characters escaped', () => {
    expect(visibleInput(huge)).toBe(`${'x'.repeat(40)}…`);
    expect(quoteInput('a"b\\c\u202ed\u0007')).toBe('"a\\"b\\\\c\\u202ed\\u0007"');
    expect(visibleInput('🙂'.repeat(50))).toBe(`${'🙂'.repeat(40)}…`);
    expect(quoteInput('\ud800x')).toBe('"\\ud800x"');
  });

  test('the CLI names an unknown parameter in one short line, with the nearest one', () => {
    expect(() => parseStrict([[huge, '1']])).toThrow(
      /^unknown parameter "x{40}…"; every parameter is listed by cascade-lab --help$/,
    );
    expect(() => parseStrict([['levrage', '1']])).toThrow(/^unknown parameter "levrage" \(did you mean leverage\?\)/);
  });

  test('a link of 50,000 unknown keys makes at most MAX_NOTICES + 1 notices, the last counting the rest', () => {
    const link = `?${Array.from({ length: 50_000 }, (_, i) => `k${i}=${i}`).join('&')}&b.x${'y'.repeat(100)}=1`;
    const started = performance.now();
    const read = readLocation(link);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(read.notices).toHaveLength(MAX_NOTICES + 1);
    expect(read.notices.at(-1)!.message).toBe('… and 49991 more problems with this link, not listed one by one.');
    for (const notice of read.notices) expect(notice.message.length).toBeLessThan(200);
    expect(read.params).toEqual(defaultParams());
  });

  test('a megabyte value makes a short notice', () => {
    const { notices } = decodeQuery(`?leverage=${huge}&${huge}=1`);
    expect(notices).toHaveLength(2);
    for (const notice of notices) expect(notice.message.length).toBeLessThan(200);
  });
});
