/**
 * `cascade-lab worker --queue redis://HOST:PORT`: process the runs that `cascade-lab sweep
 * --queue` put on the queue, on a pool of threads (--workers, one per core by default), until
 * stopped (SIGINT or SIGTERM: it finishes the runs it holds, then exits). Start as many as you
 * like, on as many machines as reach the Redis server.
 */
import type { RunPool } from '../model/batch.ts';
import type { EngineKind } from '../model/engine.ts';
import { UsageError, lastValue, mustBe, parseFlags, type FlagTable } from './args.ts';
import { QUEUE_EXPECTS, WORKERS_FLAG, numberFlag, readNumber, readQueueUrl } from './batch.ts';
import type { CliDeps } from './deps.ts';

export const LOCK_FLAG = numberFlag('lock', 'Lock seconds', 'int', 1, 3600);

export const WORKER_FLAGS: FlagTable = new Map([
  ['queue', QUEUE_EXPECTS],
  ['workers', mustBe(WORKERS_FLAG)],
  ['lock', mustBe(LOCK_FLAG)],
]);

/** Until the process is asked to stop. */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export async function workerCommand(
  args: readonly string[],
  deps: CliDeps,
  until: Promise<unknown> = stopRequested(),
): Promise<void> {
  const flags = parseFlags('worker', args, WORKER_FLAGS);
  const raw = lastValue(flags, 'queue');
  if (raw === undefined) throw new UsageError(`queue: a value is missing; ${QUEUE_EXPECTS}`);
  const url = readQueueUrl(raw);
  const threads = readNumber(flags, WORKERS_FLAG, deps.cores);
  const lock = readNumber(flags, LOCK_FLAG, 30);
  const pools = new Map<EngineKind, Promise<RunPool>>();
  const poolOf = (kind: EngineKind) => {
    let pool = pools.get(kind);
    if (!pool) pools.set(kind, (pool = deps.createPool(kind, threads)));
    return pool;
  };
  const { workOnQueue } = await import('./queue.ts');
  const worker = await workOnQueue(url, threads, lock, poolOf, () => undefined);
  deps.stderr(`cascade-lab: worker on ${url} with ${threads} thread${threads === 1 ? '' : 's'}, waiting for runs\n`);
  await until;
  await worker.close();
  for (const pool of pools.values()) await (await pool).close();
  deps.stderr(`cascade-lab: worker stopped after ${worker.done} runs\n`);
}
