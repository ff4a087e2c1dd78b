/**
 * The engine's only source of randomness: xoshiro128** seeded through splitmix32.
 *
 * Written out in integer arithmetic (no `Math.random`, no host import) so a shared URL replays
 * the same run bit for bit in every browser and in Node. `src/model/rng.ts` is the TypeScript
 * twin; the two must stay the same algorithm, step for step (test/unit/engine/rng.test.ts).
 * u32 arithmetic wraps in AssemblyScript, so `*` here is JavaScript's `Math.imul`.
 */

/** splitmix32's increment: 2^32 / golden ratio. */
const GOLDEN_GAMMA: u32 = 0x9e3779b9;
/** Odd constant that spreads stream numbers apart before they meet the seed. */
const STREAM_SPREAD: u32 = 0x632be5ab;
/** 2^26 and 2^53: two draws (27 + 26 bits) make one double with a full 53-bit mantissa. */
const TWO_POW_26: f64 = 67108864.0;
const TWO_POW_53: f64 = 9007199254740992.0;

/** splitmix32's output function applied to an already advanced state. */
@inline
function splitmixMix(state: u32): u32 {
  let z = state;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/**
 * One independent stream of random numbers. `stream` separates the engine's consumers (agents,
 * shocks, …) so adding draws to one never shifts another.
 */
export class Rng {
  private s0: u32 = 0;
  private s1: u32 = 0;
  private s2: u32 = 0;
  private s3: u32 = 0;

  constructor(seed: u32, stream: u32) {
    this.reseed(seed, stream);
  }

  /** Restart at the beginning of (seed, stream); the engine allocates its Rngs once and reseeds. */
  reseed(seed: u32, stream: u32): void {
    let state: u32 = seed ^ ((stream + 1) * STREAM_SPREAD);
    state += GOLDEN_GAMMA;
    this.s0 = splitmixMix(state);
    state += GOLDEN_GAMMA;
    this.s1 = splitmixMix(state);
    state += GOLDEN_GAMMA;
    this.s2 = splitmixMix(state);
    state += GOLDEN_GAMMA;
    this.s3 = splitmixMix(state);
    // xoshiro's all-zero state is a fixed point: it would output zeros forever.
    if ((this.s0 | this.s1 | this.s2 | this.s3) == 0) this.s0 = 1;
  }

  /** xoshiro128**: 32 uniformly distributed bits. Inlined: the hot loops of `init` draw millions. */
  @inline nextU32(): u32 {
    const result = rotl<u32>(this.s1 * 5, 7) * 9;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl<u32>(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits (two draws, high bits first). */
  @inline uniform(): f64 {
    // Two xoshiro128** steps on local copies of the state (see `normal`).
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const high = (rotl<u32>(s1 * 5, 7) * 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
    const low = (rotl<u32>(s1 * 5, 7) * 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return (<f64>high * TWO_POW_26 + <f64>low) / TWO_POW_53;
  }

  /**
   * Standard normal by Marsaglia's polar method. The second variate is discarded, not cached,
   * so reseeding fully determines the stream; `Math.log` may differ from V8's in the last bit,
   * which is why normals (unlike `nextU32` and `uniform`) are equal across engines only to ~1 ulp.
   *
   * The same draws as two `uniform()` calls an attempt, written out on local copies of the state:
   * through the object's fields every step waited on the store of the one before (init draws
   * millions of normals, and this was most of its time).
   */
  normal(): f64 {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    let u: f64, v: f64, s: f64;
    do {
      // Four xoshiro128** steps: high and low bits of u, then of v.
      const a = rotl<u32>(s1 * 5, 7) * 9;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
      const b = rotl<u32>(s1 * 5, 7) * 9;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
      const c = rotl<u32>(s1 * 5, 7) * 9;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
      const d = rotl<u32>(s1 * 5, 7) * 9;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
      u = 2 * ((<f64>(a >>> 5) * TWO_POW_26 + <f64>(b >>> 6)) / TWO_POW_53) - 1;
      v = 2 * ((<f64>(c >>> 5) * TWO_POW_26 + <f64>(d >>> 6)) / TWO_POW_53) - 1;
      s = u * u + v * v;
    } while (!(s > 0 && s < 1));
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** What `rngFill` draws: the kinds tests compare against the TypeScript twin. */
export const enum RngDrawKind {
  U32 = 0,
  Uniform = 1,
  Normal = 2,
}

/** One generator and one buffer for `rngFill`, reused across calls like the engine's own. */
const fillRng = new Rng(0, 0);
let fillBuffer = new StaticArray<f64>(0);

/**
 * Draw `n` values of `kind` from the start of (seed, stream) into a buffer owned by this module
 * and return its address; the caller reads them before the next call.
 */
export function rngFill(seed: u32, stream: u32, kind: RngDrawKind, n: i32): usize {
  if (n > fillBuffer.length) fillBuffer = new StaticArray<f64>(n);
  fillRng.reseed(seed, stream);
  for (let i = 0; i < n; i++) {
    let value: f64;
    if (kind == RngDrawKind.U32) value = <f64>fillRng.nextU32();
    else if (kind == RngDrawKind.Uniform) value = fillRng.uniform();
    else if (kind == RngDrawKind.Normal) value = fillRng.normal();
    else throw new Error('rngFill: kind must be 0 (u32), 1 (uniform) or 2 (normal)');
    unchecked((fillBuffer[i] = value));
  }
  return changetype<usize>(fillBuffer);
}
