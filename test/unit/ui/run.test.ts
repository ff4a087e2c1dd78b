/**
 * The page's copy of a run (src/ui/run.svelte.ts): frames from the worker merge into columns at
 * once, the view the charts read changes once per animation frame, stale runs' frames are
 * dropped, and scrubbing reads the summary and the snapshot of the tick shown.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultParams } from '../../../src/model/schema.ts';
import { SERIES_KEYS } from '../../../src/model/series.ts';
import { summarize } from '../../../src/model/summary.ts';
import { FRAME_KEYS, type Frame, type RunStatus, type Snapshot } from '../../../src/sim/frames.ts';
import { RunState, snapshotAt, summaryAt } from '../../../src/ui/run.svelte.ts';
import { seriesOf } from '../../support/series.ts';

const TICKS = 4;
const series = seriesOf(TICKS, {
  price: [100, 98, 95, 97, 96],
  cfPrice: [100, 99, 99, 99, 99],
  liqLong: [0, 1, 2, 0, 0],
});

const snapshot = (tick: number): Snapshot => ({
  tick,
  spot: series.price[tick],
  profilePrices: new Float64Array(0),
  profileGex: new Float64Array(0),
  mapEdges: new Float64Array(0),
  mapLong: new Float64Array(0),
  mapShort: new Float64Array(0),
  mapLending: new Float64Array(0),
});

/** The frame the worker would send for ticks from..to of run `runId`. */
function frame(runId: number, from: number, to: number, status: RunStatus, snapshots: Snapshot[] = []): Frame {
  const n = to - from + 1;
  const data = new Float64Array(FRAME_KEYS.length * n);
  FRAME_KEYS.forEach((key, k) => data.set(series[key].subarray(from, to + 1), k * n));
  return {
    runId,
    params: from === 0 ? defaultParams() : undefined,
    ticks: TICKS,
    from,
    to,
    data,
    summary: summarize(series, defaultParams(), to),
    status,
    snapshots,
  };
}

let frames: FrameRequestCallback[] = [];
beforeEach(() => {
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
});
afterEach(() => vi.unstubAllGlobals());
const paint = (): void => frames.splice(0).forEach((callback) => callback(0));

describe('RunState', () => {
  it('shows the newest state once per animation frame, however many frames arrived', () => {
    const run = new RunState();
    run.receive(frame(1, 0, 1, 'playing', [snapshot(0)]));
    run.receive(frame(1, 2, 3, 'playing', [snapshot(3)]));
    expect(run.view.runId).toBe(0);
    expect(frames).toHaveLength(1);
    paint();
    expect(run.view).toMatchObject({ runId: 1, tick: 3, ticks: TICKS, status: 'playing' });
    expect(Array.from(run.view.columns.price)).toEqual([100, 98, 95, 97, 0]);
    expect(run.view.snapshots.map((s) => s.tick)).toEqual([0, 3]);
  });

  it('drops the frames of an older run and starts a newer one afresh', () => {
    const run = new RunState();
    run.receive(frame(2, 0, 2, 'playing'));
    run.receive(frame(1, 3, 4, 'done'));
    paint();
    expect(run.view).toMatchObject({ runId: 2, tick: 2 });
    run.receive(frame(3, 0, 0, 'paused'));
    paint();
    expect(run.view).toMatchObject({ runId: 3, tick: 0, status: 'paused' });
    expect(run.view.columns.price[2]).toBe(0);
  });

  it('shows the worker’s health instead of its last status while it is replaced, and the status again after', () => {
    const run = new RunState();
    run.receive(frame(1, 0, 2, 'playing'));
    paint();
    run.setHealth('recovering');
    paint();
    expect(run.view).toMatchObject({ runId: 1, tick: 2, status: 'recovering' });
    // The resumed run arrives as a newer run while recovering: still not "playing".
    run.receive(frame(2, 0, 3, 'playing'));
    paint();
    expect(run.view).toMatchObject({ runId: 2, tick: 3, status: 'recovering' });
    run.setHealth('ok');
    paint();
    expect(run.view.status).toBe('playing');
    run.setHealth('stopped');
    paint();
    expect(run.view.status).toBe('stopped');
  });

  it('keeps every column', () => {
    const run = new RunState();
    run.receive(frame(1, 0, TICKS, 'done'));
    paint();
    expect(Object.keys(run.view.columns)).toEqual([...SERIES_KEYS]);
  });
});

describe('scrubbing', () => {
  const run = new RunState();
  beforeEach(() => {
    run.receive(frame(1, 0, TICKS, 'done', [snapshot(0), snapshot(2), snapshot(4)]));
    paint();
  });

  it('summarizes the ticks up to the cursor, the worker’s summary at the newest', () => {
    expect(summaryAt(run.view, TICKS)).toBe(run.view.summary);
    expect(summaryAt(run.view, 2)).toEqual(summarize(run.view.columns, run.view.params, 2));
  });

  it('shows the newest snapshot at or before the cursor', () => {
    expect(snapshotAt(run.view, 3)?.tick).toBe(2);
    expect(snapshotAt(run.view, 4)?.tick).toBe(4);
    expect(snapshotAt(run.view, 0)?.tick).toBe(0);
  });
});
