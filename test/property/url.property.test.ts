import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEMA, type ParamSpec, type Params } from '../../src/model/schema.ts';
import { decodeQuery, decodeQueryStrict, encodeQuery } from '../../src/state/url.ts';

/** Any valid value of one parameter, its default often (defaults are left out of links). */
function valueOf(spec: ParamSpec): fc.Arbitrary<number | string> {
  if (spec.type === 'enum') return fc.constantFrom(...spec.options);
  const any =
    spec.type === 'int'
      ? fc.bigInt({ min: BigInt(spec.min), max: BigInt(spec.max) }).map(Number)
      : fc
          .double({ min: spec.min, max: spec.max, minExcluded: spec.minExclusive === true, noNaN: true })
          // A link cannot tell −0 from 0 (String(-0) is "0"); both run the same.
          .map((x) => x + 0);
  return fc.oneof(fc.constant(spec.default), any);
}

const validParams = fc.record(
  Object.fromEntries(SCHEMA.map((spec) => [spec.key, valueOf(spec)])),
) as fc.Arbitrary<Params>;

describe('URL round trip', () => {
  it('decode(encode(params)) gives the same params and no notice', () => {
    fc.assert(
      fc.property(validParams, (params) => {
        const query = encodeQuery(params);
        const { params: read, notices } = decodeQuery(query);
        expect(notices).toEqual([]);
        expect(read).toEqual(params);
        expect(decodeQueryStrict(`https://example.org/?${query}#x`)).toEqual(params);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
