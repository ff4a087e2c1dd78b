/**
 * A thread of the CLI's pool (see pool-node.ts): one engine per thread, made on the first task,
 * then every task of the pool runs on it (`runTask`, the same code as the page's workers).
 */
import { runTask, type RunResult, type RunTask } from '../model/batch.ts';
import type { Engine, EngineKind } from '../model/engine.ts';
import { ReferenceEngine } from '../model/reference/engine.ts';
import { WasmEngine } from './wasm-engine.ts';
import { loadEngineNode } from './wasm-node.ts';

export interface ThreadTask extends RunTask {
  engine: EngineKind;
}

const engines = new Map<EngineKind, Promise<Engine>>();

function engineOf(kind: EngineKind): Promise<Engine> {
  let engine = engines.get(kind);
  if (!engine) {
    engine =
      kind === 'reference'
        ? Promise.resolve(new ReferenceEngine())
        : loadEngineNode('release').then((exports) => new WasmEngine(exports));
    engines.set(kind, engine);
  }
  return engine;
}

export default async function runInThread({ engine, ...task }: ThreadTask): Promise<RunResult> {
  return runTask(await engineOf(engine), task);
}
