/**
 * `npm run bench`: agent-updates per second of the WASM engine (release build) and of the
 * TypeScript reference engine, side by side in one process, at 10k, 100k and 1M agents.
 *
 * Agents are dealers + perp accounts, split evenly (N/2 of each); every other parameter is at
 * its default, so each timed run includes the default shock (at tick 60) and the cascade it
 * sets off. Both engines of a row run the same ticks, so the ratio compares like with like.
 * Initialization (drawing and sorting the agents) is timed apart from the ticks. Each engine
 * first runs once untimed, so the JIT and wasm tier-up are done before anything is measured.
 *
 * Usage: npm run bench [-- --json]
 */
import { arch, cpus, platform } from 'node:os';
import type { Engine } from '../../src/model/engine.ts';
import { ReferenceEngine } from '../../src/model/reference/engine.ts';
import { defaultParams, toEngineBlock, type Params } from '../../src/model/schema.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../src/sim/wasm-node.ts';

interface Size {
  agents: number;
  ticks: number;
  /** Timed runs per engine; the best counts (fewer where one reference run takes long). */
  repeats: { wasm: number; reference: number };
}

const SIZES: readonly Size[] = [
  { agents: 10_000, ticks: 200, repeats: { wasm: 3, reference: 3 } },
  { agents: 100_000, ticks: 200, repeats: { wasm: 3, reference: 2 } },
  { agents: 1_000_000, ticks: 100, repeats: { wasm: 2, reference: 1 } },
];

interface Timing {
  initMs: number;
  msPerTick: number;
  agentUpdatesPerSecond: number;
}

interface Row {
  agents: number;
  dealers: number;
  accounts: number;
  ticks: number;
  wasm: Timing;
  reference: Timing;
  /** WASM agent-updates per second ÷ the reference's. */
  ratio: number;
}

function paramsFor(agents: number, ticks: number): Params {
  const dealers = Math.floor(agents / 2);
  return { ...defaultParams(), dealers, accounts: agents - dealers, ticks } as Params;
}

/** Best of `repeats` runs: init and ticks timed separately (each its own best). */
function time(engine: Engine, params: Params, repeats: number): Timing {
  const block = toEngineBlock(params);
  const ticks = params.ticks as number;
  let initMs = Infinity;
  let tickMs = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    engine.init(block);
    const t1 = performance.now();
    const reached = engine.step(ticks);
    const t2 = performance.now();
    if (reached !== ticks) throw new Error(`${engine.kind} stopped at tick ${reached} of ${ticks}`);
    initMs = Math.min(initMs, t1 - t0);
    tickMs = Math.min(tickMs, t2 - t1);
  }
  const agents = (params.dealers as number) + (params.accounts as number);
  return { initMs, msPerTick: tickMs / ticks, agentUpdatesPerSecond: (agents * ticks) / (tickMs / 1000) };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const engines = { wasm: new WasmEngine(await loadEngineNode('release')), reference: new ReferenceEngine() };
  for (const engine of Object.values(engines)) time(engine, paramsFor(10_000, 100), 1);

  const rows: Row[] = [];
  for (const size of SIZES) {
    const params = paramsFor(size.agents, size.ticks);
    const wasm = time(engines.wasm, params, size.repeats.wasm);
    const reference = time(engines.reference, params, size.repeats.reference);
    const row: Row = {
      agents: size.agents,
      dealers: params.dealers as number,
      accounts: params.accounts as number,
      ticks: size.ticks,
      wasm,
      reference,
      ratio: wasm.agentUpdatesPerSecond / reference.agentUpdatesPerSecond,
    };
    rows.push(row);
    if (!json) process.stdout.write(`${rows.length === 1 ? header() : ''}${formatRow(row)}\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify({ environment: environment(), rows }, null, 2)}\n`);
}

function environment(): string {
  return `Node ${process.version}, ${platform()} ${arch()}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`;
}

const COLUMNS = [
  ['agents', 9],
  ['ticks', 6],
  ['WASM init ms', 13],
  ['ms/tick', 9],
  ['updates/s', 10],
  ['ref init ms', 12],
  ['ms/tick', 9],
  ['updates/s', 10],
  ['ratio', 7],
] as const;

function header(): string {
  const title = [
    `Cascade Lab engine benchmark: ${environment()}`,
    'agents = dealers + perp accounts, half each; defaults otherwise (shock at tick 60).',
    `Init is timed apart from the ticks; best of ${SIZES.map((s) => `${s.repeats.wasm}/${s.repeats.reference}`).join(', ')} runs (WASM/reference, by row).`,
    'updates/s = agents × ticks ÷ seconds of ticking; ratio = WASM updates/s ÷ reference updates/s.',
    '',
  ];
  const names = COLUMNS.map(([name, width]) => name.padStart(width)).join(' ');
  return `${title.join('\n')}\n${names}\n${'─'.repeat(names.length)}\n`;
}

function formatRow(row: Row): string {
  const cells = [
    row.agents.toLocaleString('en-US'),
    String(row.ticks),
    row.wasm.initMs.toFixed(1),
    row.wasm.msPerTick.toFixed(3),
    row.wasm.agentUpdatesPerSecond.toExponential(2),
    row.reference.initMs.toFixed(1),
    row.reference.msPerTick.toFixed(3),
    row.reference.agentUpdatesPerSecond.toExponential(2),
    `${row.ratio.toFixed(1)}×`,
  ];
  return cells.map((cell, i) => cell.padStart(COLUMNS[i][1])).join(' ');
}

await main();
