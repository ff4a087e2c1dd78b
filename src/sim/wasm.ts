/**
 * The only code that instantiates the engine's WASM module. Hand-written instead of asc's
 * generated bindings: the engine exports only numbers and pointers, so this is all we need, and
 * it runs unchanged in the browser worker and in Node (CLI, tests, benchmarks).
 */

/** The raw exports of `assembly/index.ts`. */
export interface EngineExports {
  memory: WebAssembly.Memory;
  [name: string]: unknown;
}

function abort(
  messagePtr: number,
  filePtr: number,
  line: number,
  column: number,
  memory: () => WebAssembly.Memory,
): never {
  const read = (ptr: number): string => {
    if (!ptr) return '';
    const bytes = new Uint8Array(memory().buffer);
    const len = new Uint32Array(bytes.buffer, ptr - 4, 1)[0];
    return String.fromCharCode(...new Uint16Array(bytes.buffer, ptr, len >>> 1));
  };
  throw new Error(`engine abort: ${read(messagePtr)} at ${read(filePtr)}:${line}:${column}`);
}

/** Instantiate compiled engine bytes (or a compiled module). */
export async function instantiateEngine(source: BufferSource | WebAssembly.Module): Promise<EngineExports> {
  /** The instance's memory, known once it is instantiated: before that the engine cannot abort. */
  const instantiated: { memory?: WebAssembly.Memory } = {};
  const imports = {
    env: {
      abort: (m: number, f: number, l: number, c: number) => abort(m, f, l, c, () => instantiated.memory!),
      seed: () => 0, // never called: the engine has its own seeded PRNG and no Math.random
      trace: () => undefined,
    },
  };
  const instance =
    source instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(source, imports)
      : (await WebAssembly.instantiate(source, imports)).instance;
  const exports = instance.exports as unknown as EngineExports;
  instantiated.memory = exports.memory;
  return exports;
}
