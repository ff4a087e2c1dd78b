import { describe, expect, it } from 'vitest';
import { PARAM_KEYS, SCHEMA, defaultParams, type Params } from '../../../src/model/schema.ts';
import { ParamError } from '../../../src/model/validate.ts';
import {
  MIGRATIONS,
  VERSION,
  decodeQuery,
  decodeQueryStrict,
  encodeQuery,
  type LinkFormat,
} from '../../../src/state/url.ts';

const params = (overrides: Partial<Params>): Params => ({ ...defaultParams(), ...overrides });

describe('encodeQuery', () => {
  it('writes the version and the seed even when everything is at its default', () => {
    expect(encodeQuery(defaultParams())).toBe(`v=${VERSION}&seed=7`);
  });

  it('writes only changed parameters, in schema order, in shortest form', () => {
    const query = encodeQuery(params({ liqSpeed: 1, leverage: 25, gex: -1, impactLaw: 'sqrt', dailyVolume: 1e12 }));
    expect(query).toBe('v=1&seed=7&dailyVolume=1000000000000&impactLaw=sqrt&gex=-1&leverage=25&liqSpeed=1');
  });
});

describe('decodeQuery', () => {
  it('reads a full link, a query with or without "?", and ignores the fragment', () => {
    for (const text of [
      'https://example.org/cascade/?v=1&seed=3&leverage=25#chart',
      '?v=1&seed=3&leverage=25',
      'v=1&seed=3&leverage=25',
      'seed=3&leverage=25#x?leverage=2',
    ]) {
      const { params: read, notices, version } = decodeQuery(text);
      expect(read).toEqual(params({ seed: 3, leverage: 25 }));
      expect(notices).toEqual([]);
      expect(version).toBe(1);
    }
  });

  it('gives the defaults for a link without a query, and for an empty string', () => {
    expect(decodeQuery('https://example.org/cascade/')).toEqual({ params: defaultParams(), notices: [], version: 1 });
    expect(decodeQuery('')).toEqual({ params: defaultParams(), notices: [], version: 1 });
  });

  it('ignores unknown keys with a notice', () => {
    const { params: read, notices } = decodeQuery('?leverage=20&utm_source=feed');
    expect(read).toEqual(params({ leverage: 20 }));
    expect(notices).toHaveLength(1);
    expect(notices[0].key).toBe('utm_source');
  });

  it('clamps out-of-range values with a notice naming the range', () => {
    const { params: read, notices } = decodeQuery('?leverage=500&liqSpeed=0&ticks=12.4');
    expect(read).toEqual(params({ leverage: 100, liqSpeed: 0.01, ticks: 12 }));
    expect(notices.map((n) => n.key)).toEqual(['leverage', 'liqSpeed', 'ticks']);
    expect(notices[0].message).toContain('[1, 100]');
  });

  it('survives a hostile link: every value is valid and finite, each refusal is noticed', () => {
    const hostile =
      '?v=1&leverage=abc&gex=%3Cscript%3Ealert(1)%3C%2Fscript%3E&shock=NaN&accounts=Infinity&seed=-1e309' +
      '&impactLaw=cubic&__proto__=1&constructor=x&ticks=&price0=1e400&dealers=-5';
    const { params: read, notices } = decodeQuery(hostile);
    for (const spec of SCHEMA) {
      const value = read[spec.key];
      if (spec.type === 'enum') expect(spec.options).toContain(value);
      else {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(spec.min);
        expect(value).toBeLessThanOrEqual(spec.max);
      }
    }
    expect(Object.keys(read).sort()).toEqual([...PARAM_KEYS].sort());
    expect(read.leverage).toBe(10);
    expect(read.gex).toBe(-0.5);
    expect(notices.map((n) => n.key)).toEqual([
      'leverage',
      'gex',
      'shock',
      'accounts',
      'seed',
      'impactLaw',
      '__proto__',
      'constructor',
      'ticks',
      'price0',
      'dealers',
    ]);
  });

  it('reads a link with a newer version as well as it can, with a notice', () => {
    const { params: read, notices, version } = decodeQuery('?v=9&leverage=30&newKnob=2');
    expect(version).toBe(9);
    expect(read).toEqual(params({ leverage: 30 }));
    expect(notices.map((n) => n.key)).toEqual(['v', 'newKnob']);
  });

  it('reads a garbage version as the current one, with a notice', () => {
    const { params: read, notices, version } = decodeQuery('?v=one&leverage=30');
    expect(version).toBe(VERSION);
    expect(read).toEqual(params({ leverage: 30 }));
    expect(notices.map((n) => n.key)).toEqual(['v']);
  });
});

describe('migrations', () => {
  it('climb the table from every past version to the current one', () => {
    for (let v = 1; v < VERSION; v++) expect(MIGRATIONS[v]).toBeTypeOf('function');
  });

  // A version 2 that renamed `lev` to `leverage` and halved `gex`; version 3 dropped `legacy`.
  const future: LinkFormat = {
    version: 3,
    migrations: {
      1: (entries) =>
        entries.map(([k, v]) => (k === 'lev' ? ['leverage', v] : k === 'gex' ? [k, String(Number(v) / 2)] : [k, v])),
      2: (entries) => entries.filter(([k]) => k !== 'legacy'),
    },
  };

  it('are applied in order to old links, a missing version counting as 1', () => {
    for (const query of ['?v=1&lev=40&gex=-1&legacy=yes', '?lev=40&gex=-1&legacy=yes']) {
      const { params: read, notices, version } = decodeQuery(query, future);
      expect(version).toBe(1);
      expect(read).toEqual(params({ leverage: 40, gex: -0.5 }));
      expect(notices).toEqual([]);
    }
    expect(decodeQueryStrict('?v=1&lev=40&gex=-1&legacy=yes', defaultParams(), future)).toEqual(
      params({ leverage: 40, gex: -0.5 }),
    );
  });

  it('start from the link’s own version', () => {
    const { params: read, notices } = decodeQuery('?v=2&leverage=40&gex=-1&legacy=yes', future);
    expect(read).toEqual(params({ leverage: 40, gex: -1 }));
    expect(notices).toEqual([]);
  });
});

describe('decodeQueryStrict', () => {
  it('layers the link over a base', () => {
    const base = params({ leverage: 5, gex: 0.8 });
    expect(decodeQueryStrict('https://x.org/?v=1&seed=1&gex=-1', base)).toEqual(
      params({ seed: 1, leverage: 5, gex: -1 }),
    );
  });

  it.each([
    ['?leverage=abc', /^leverage: "abc" is not allowed; leverage \(Leverage\) must be a number in \[1, 100\]$/],
    ['?leverage=500', /^leverage: "500" is not allowed; .*\[1, 100\]$/],
    ['?bogus=1', /^unknown parameter "bogus"/],
    ['?v=2&leverage=3', /^v: "2" is not allowed; v \(link version\) must be an integer in \[1, 1\]$/],
    ['?v=abc', /^v: "abc" is not allowed/],
  ])('rejects %s with one line naming the parameter', (query, message) => {
    expect(() => decodeQueryStrict(query)).toThrow(ParamError);
    expect(() => decodeQueryStrict(query)).toThrow(message);
  });
});
