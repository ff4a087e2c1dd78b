/**
 * Runs on a BullMQ queue in Redis, for sweeps past one machine. `cascade-lab sweep --queue URL`
 * adds every run of the sweep as a job (its id derived from the sweep, so a restarted submitter
 * adds nothing twice), collects the results as they finish — those already finished first — and
 * removes its jobs once it has written them. `cascade-lab worker --queue URL` runs jobs on a pool
 * of threads, so its event loop stays free to renew the jobs' locks; a worker that dies leaves
 * its jobs' locks to expire, and another worker's stalled-job check puts them back in the queue.
 */
import { createHash } from 'node:crypto';
import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { RunPool } from '../model/batch.ts';
import type { EngineKind } from '../model/engine.ts';
import type { Params } from '../model/schema.ts';
import type { Summary } from '../model/summary.ts';

/** The one queue every sweep's jobs go to, so workers need no sweep's name. */
export const QUEUE_NAME = 'cascade-lab-runs';

/** The job a run becomes: the run's parameters, its option grid and the engine to run it on. */
export interface RunJob {
  params: Params;
  grid: number[] | null;
  engine: EngineKind;
}

/** A connection as BullMQ wants it: no retry limit per command (a worker waits out a Redis restart). */
function connect(url: string): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null });
}

/** Fail fast, in one line, when Redis is not there. */
async function reachable(url: string): Promise<void> {
  const probe = new IORedis(url, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 5000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new Error(`queue: cannot reach ${url}: ${(error as Error).message}`);
  } finally {
    probe.disconnect();
  }
}

/** A stable id for a sweep: the same runs give the same id, and so the same job ids. */
export function sweepId(jobs: readonly RunJob[]): string {
  return createHash('sha256').update(JSON.stringify(jobs)).digest('hex').slice(0, 16);
}

/**
 * Put `jobs` on the queue (those there already stay as they are) and hear every result: `onResult`
 * with the job's index once each, in the order they finish. Resolves when all have; throws when a
 * job failed for good (its reason in the message).
 */
export async function runOnQueue(
  url: string,
  jobs: readonly RunJob[],
  onResult: (index: number, summary: Summary) => void,
): Promise<void> {
  await reachable(url);
  const id = sweepId(jobs);
  const jobId = (index: number) => `${id}-${index}`;
  const connection = connect(url);
  const queue = new Queue<RunJob, Summary>(QUEUE_NAME, { connection });
  const eventsConnection = connect(url);
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
  const pending = new Set(jobs.map((_, i) => i));
  let failure: string | undefined;
  let wake: () => void = () => undefined;
  const finish = (index: number, summary: Summary) => {
    if (!pending.delete(index)) return;
    onResult(index, summary);
    wake();
  };
  const indexOf = (jobIdText: string): number | undefined => {
    if (!jobIdText.startsWith(`${id}-`)) return undefined;
    const index = Number(jobIdText.slice(id.length + 1));
    return Number.isInteger(index) && index >= 0 && index < jobs.length ? index : undefined;
  };
  try {
    await events.waitUntilReady();
    events.on('completed', ({ jobId: done, returnvalue }) => {
      const index = indexOf(done);
      if (index !== undefined)
        finish(index, (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as Summary);
    });
    events.on('failed', ({ jobId: failed, failedReason }) => {
      const index = indexOf(failed);
      if (index === undefined) return;
      // Only a run that has used up its attempts fails the sweep; an earlier attempt's failure is retried.
      void queue.getJobState(failed).then((state) => {
        if (state !== 'failed') return;
        failure = `run ${index} failed on a worker: ${failedReason}`;
        wake();
      });
    });
    const options = { removeOnComplete: false, removeOnFail: false, attempts: 3 };
    for (let from = 0; from < jobs.length; from += 500) {
      await queue.addBulk(
        jobs
          .slice(from, from + 500)
          .map((data, k) => ({ name: 'run', data, opts: { ...options, jobId: jobId(from + k) } })),
      );
    }
    // Those that finished before (a restarted submitter), and a safety net for missed events.
    const scan = async () => {
      const ids = [...pending];
      for (let from = 0; from < ids.length; from += 200) {
        const batch = await Promise.all(
          ids.slice(from, from + 200).map((i) => Job.fromId<RunJob, Summary>(queue, jobId(i))),
        );
        for (const job of batch) {
          if (!job) continue;
          const index = indexOf(job.id!)!;
          if (job.finishedOn && job.returnvalue && !job.failedReason) finish(index, job.returnvalue);
          else if (job.finishedOn && job.failedReason && job.attemptsMade >= (job.opts.attempts ?? 1))
            failure = `run ${index} failed on a worker: ${job.failedReason}`;
        }
      }
    };
    await scan();
    while (pending.size > 0 && failure === undefined) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 2000);
      });
      if (pending.size > 0 && failure === undefined) await scan();
    }
    if (failure !== undefined) throw new Error(failure);
    for (let from = 0; from < jobs.length; from += 200)
      await Promise.all(jobs.slice(from, from + 200).map((_, k) => queue.remove(jobId(from + k)).catch(() => 0)));
  } finally {
    await events.close();
    await queue.close();
    connection.disconnect();
    eventsConnection.disconnect();
  }
}

export interface QueueWorker {
  /** Jobs this worker has finished. */
  readonly done: number;
  close(): Promise<void>;
}

/**
 * Take jobs off the queue, `concurrency` at a time, each run on `poolOf(engine)`. `lockSeconds`:
 * how long a job's lock lasts unrenewed before another worker takes it over (the lock is renewed
 * every half of it while the run goes on).
 */
export async function workOnQueue(
  url: string,
  concurrency: number,
  lockSeconds: number,
  poolOf: (engine: EngineKind) => Promise<RunPool>,
  onDone: (done: number) => void,
): Promise<QueueWorker> {
  await reachable(url);
  let done = 0;
  const connection = connect(url);
  const worker = new Worker<RunJob, Summary>(
    QUEUE_NAME,
    async (job) => {
      const { params, grid, engine } = job.data;
      const pool = await poolOf(engine);
      const { summary } = await pool.run({ params, grid: grid ? Float64Array.from(grid) : undefined });
      return summary;
    },
    {
      connection,
      concurrency,
      lockDuration: lockSeconds * 1000,
      stalledInterval: (lockSeconds * 1000) / 2,
      // A job whose worker died stalls; it is retried rather than failed, however often that happens.
      maxStalledCount: 1000,
    },
  );
  worker.on('completed', () => onDone(++done));
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    get done() {
      return done;
    },
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
