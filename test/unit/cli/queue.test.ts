/**
 * The distributed sweep against a real Redis (the Debian package redis-server, started here on
 * a free loopback port and stopped after): a submitter that is killed and restarted, two worker
 * processes, one of them killed mid-sweep. The restarted submitter redoes nothing, the dead
 * worker's run is retried, every run completes exactly once, and the CSV is the local sweep's,
 * byte for byte.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME } from '../../../src/cli/queue.ts';
import { cascadeLab } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SWEEP = ['sweep', '--ticks', '360', '--x', 'leverage=5:20:3', '--y', 'gex=-1:0:2', '--seeds', '1-3'];
const RUNS = 3 * 2 * 3;

let redis: ChildProcess;
let url: string;
let client: IORedis;
const dir = mkdtempSync(join(tmpdir(), 'cascade-queue-'));
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function start(
  ...args: string[]
): ChildProcess & { output: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['bin/cascade-lab.js', ...args], { cwd: ROOT });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return Object.assign(child, { output });
}

async function until(what: string, check: () => Promise<boolean>, seconds = 20): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  redis.on('error', (error) => {
    throw new Error(`cannot start redis-server (apt-get install redis-server): ${error.message}`);
  });
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const probe = new IORedis(url, { lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => undefined);
      probe.connect().then(
        () => probe.ping().then(() => (probe.disconnect(), resolve(true))),
        () => (probe.disconnect(), resolve(false)),
      );
    });
  await until('redis-server to answer', answers, 10);
  client = new IORedis(url, { maxRetriesPerRequest: null });
}, 20_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  client?.disconnect();
  redis?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('sweep --queue with cascade-lab worker processes', () => {
  it('survives a restarted submitter and a killed worker, and writes the local sweep\u2019s bytes', async () => {
    const local = await cascadeLab(...SWEEP, '--workers', '2');
    expect(local.status).toBe(0);

    const events = new QueueEvents(QUEUE_NAME, { connection: new IORedis(url, { maxRetriesPerRequest: null }) });
    await events.waitUntilReady();
    const completions = new Map<string, number>();
    events.on('completed', ({ jobId }) => completions.set(jobId, (completions.get(jobId) ?? 0) + 1));
    const waiting = () => client.llen(`bull:${QUEUE_NAME}:wait`);
    const completed = () => client.zcard(`bull:${QUEUE_NAME}:completed`);
    const active = () => client.llen(`bull:${QUEUE_NAME}:active`);
    let stalled = 0;
    events.on('stalled', () => stalled++);

    // A submitter puts the runs on the queue, and dies before any worker starts.
    const first = start(...SWEEP, '--queue', url);
    await until('the runs on the queue', async () => (await waiting()) === RUNS);
    first.kill('SIGKILL');

    // Two workers; one dies holding a run once a few are done.
    const doomed = start('worker', '--queue', url, '--workers', '1', '--lock', '2');
    const survivor = start('worker', '--queue', url, '--workers', '1', '--lock', '2');
    // Both hold a run when the doomed one dies, so its run is left locked, then stalls.
    await until('a few runs done, both workers busy', async () => (await completed()) >= 4 && (await active()) === 2);
    doomed.kill('SIGKILL');
    const doneBefore = await completed();

    // A new submitter picks up what finished and waits for the rest.
    const out = join(dir, 'queued.csv');
    const second = start(...SWEEP, '--queue', url, '--out', out);
    const result = await second.output;
    expect(result.stderr).toMatch(/wrote 18 runs/);
    expect(result.code).toBe(0);
    const queued = readFileSync(out, 'utf8');
    expect(queued).toBe(local.stdout);
    const sorted = (text: string) => text.trim().split('\n').sort().join('\n');
    expect(sorted(queued)).toBe(sorted(local.stdout));

    expect(doneBefore).toBeGreaterThanOrEqual(4);
    expect(stalled).toBeGreaterThanOrEqual(1);
    expect(completions.size).toBe(RUNS);
    expect([...completions.values()].every((n) => n === 1)).toBe(true);
    // The submitter removed its jobs once it had written them.
    expect(await client.keys(`bull:${QUEUE_NAME}:*-[0-9]*`)).toEqual([]);

    survivor.kill('SIGTERM');
    const stopped = await survivor.output;
    expect(stopped.stderr).toMatch(/worker stopped after \d+ runs/);
    await events.close();
  }, 60_000);
});
