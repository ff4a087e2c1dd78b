/** Loads the engine in Node (CLI, tests, benchmarks) from the asc build output. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { instantiateEngine, type EngineExports } from './wasm.ts';

export type WasmBuild = 'debug' | 'release';

export async function loadEngineNode(build: WasmBuild = 'release'): Promise<EngineExports> {
  const path = fileURLToPath(new URL(`../../build/${build}.wasm`, import.meta.url));
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new Error(`the engine is not built (${path} is missing): run \`npm run asbuild\``);
  }
  return instantiateEngine(bytes);
}
