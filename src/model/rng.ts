/**
 * TypeScript twin of the engine's PRNG (`assembly/rng.ts`): xoshiro128** seeded through
 * splitmix32. The reference engine draws from it so that, for the same seed, it sees the very
 * numbers the WASM engine sees. State is kept as int32 (what `Math.imul` and `^` produce) and
 * turned into u32 with `>>> 0` on the way out.
 */

/** splitmix32's increment: 2^32 / golden ratio. */
const GOLDEN_GAMMA = 0x9e3779b9;
/** Odd constant that spreads stream numbers apart before they meet the seed. */
const STREAM_SPREAD = 0x632be5ab;
/** 2^26 and 2^53: two draws (27 + 26 bits) make one double with a full 53-bit mantissa. */
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** splitmix32's output function applied to an already advanced state. */
function splitmixMix(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * One independent stream of random numbers. `stream` separates consumers (agents, shocks, …)
 * so adding draws to one never shifts another.
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: number, stream: number) {
    this.reseed(seed, stream);
  }

  /** Restart at the beginning of (seed, stream); both are taken modulo 2^32. */
  reseed(seed: number, stream: number): void {
    let state = (seed ^ Math.imul((stream >>> 0) + 1, STREAM_SPREAD)) >>> 0;
    state = (state + GOLDEN_GAMMA) >>> 0;
    this.s0 = splitmixMix(state);
    state = (state + GOLDEN_GAMMA) >>> 0;
    this.s1 = splitmixMix(state);
    state = (state + GOLDEN_GAMMA) >>> 0;
    this.s2 = splitmixMix(state);
    state = (state + GOLDEN_GAMMA) >>> 0;
    this.s3 = splitmixMix(state);
    // xoshiro's all-zero state is a fixed point: it would output zeros forever.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** xoshiro128**: 32 uniformly distributed bits, as an integer in [0, 2^32). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform on [0, 1) with 53 random bits (two draws, high bits first). */
  uniform(): number {
    const high = this.nextU32() >>> 5;
    const low = this.nextU32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  /**
   * Standard normal by Marsaglia's polar method; the second variate is discarded, not cached,
   * so reseeding fully determines the stream.
   */
  normal(): number {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (!(s > 0 && s < 1));
    return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}
