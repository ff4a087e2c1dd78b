// A stable least-significant-digit radix sort of indices by an f64 key: four passes of 16 bits
// over the keys' order-preserving bit patterns, a pass skipped when every key shares its digit.
// Linear in the count, where a comparison sort of a million perp accounts took seconds. Stable:
// equal keys keep the order they came in, so indices given in ascending order break ties by index,
// exactly as the reference engine's comparators do (src/model/reference/perps.ts, lending.ts).

const RADIX_BITS: u64 = 16;
const BUCKETS: i32 = 1 << 16;
const PASSES: i32 = 4;

/** Scratch, grown when a larger sort needs it and kept (the sorts run at every init). */
let keysA = new StaticArray<u64>(0);
let keysB = new StaticArray<u64>(0);
let orderB = new StaticArray<i32>(0);
const counts = new StaticArray<i32>(PASSES * BUCKETS);

/** The bits of x, as an unsigned number ordered as x is (−0 as +0; no NaN is given). */
// @ts-ignore: decorator
@inline function orderedBits(x: f64): u64 {
  const b = reinterpret<u64>(x == 0 ? 0.0 : x);
  return b >> 63 ? ~b : b | (<u64>1 << 63);
}

/**
 * Reorder the first n entries of `order` (indices into `key`) by key ascending, or descending
 * when `descending`; equal keys keep their order. Called by `initPerps` and `initLending`.
 */
export function sortByKey(order: StaticArray<i32>, n: i32, key: StaticArray<f64>, descending: bool): void {
  if (n < 2) return;
  if (keysA.length < n) {
    keysA = new StaticArray<u64>(n);
    keysB = new StaticArray<u64>(n);
    orderB = new StaticArray<i32>(n);
  }
  const pCounts = changetype<usize>(counts);
  memory.fill(pCounts, 0, <usize>(PASSES * BUCKETS) << 2);
  let srcKeys = changetype<usize>(keysA);
  let srcOrder = changetype<usize>(order);
  let dstKeys = changetype<usize>(keysB);
  let dstOrder = changetype<usize>(orderB);
  const pKey = changetype<usize>(key);
  for (let i = 0; i < n; i++) {
    const a = load<i32>(srcOrder + (<usize>i << 2));
    let b = orderedBits(load<f64>(pKey + (<usize>a << 3)));
    if (descending) b = ~b;
    store<u64>(srcKeys + (<usize>i << 3), b);
    for (let p = 0; p < PASSES; p++) {
      const at = pCounts + ((<usize>(p * BUCKETS) + <usize>((b >> (<u64>p * RADIX_BITS)) & 0xffff)) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
  }
  for (let p = 0; p < PASSES; p++) {
    const base = pCounts + (<usize>(p * BUCKETS) << 2);
    const shift = <u64>p * RADIX_BITS;
    // Every key shares this digit: the pass would change nothing.
    const first = <i32>((load<u64>(srcKeys) >> shift) & 0xffff);
    if (load<i32>(base + (<usize>first << 2)) == n) continue;
    // Counts to starting offsets.
    let sum = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const at = base + (<usize>d << 2);
      const c = load<i32>(at);
      store<i32>(at, sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const b = load<u64>(srcKeys + (<usize>i << 3));
      const at = base + (<usize>((b >> shift) & 0xffff) << 2);
      const j = load<i32>(at);
      store<i32>(at, j + 1);
      store<u64>(dstKeys + (<usize>j << 3), b);
      store<i32>(dstOrder + (<usize>j << 2), load<i32>(srcOrder + (<usize>i << 2)));
    }
    const k = srcKeys;
    srcKeys = dstKeys;
    dstKeys = k;
    const o = srcOrder;
    srcOrder = dstOrder;
    dstOrder = o;
  }
  if (srcOrder != changetype<usize>(order)) memory.copy(changetype<usize>(order), srcOrder, <usize>n << 2);
}
