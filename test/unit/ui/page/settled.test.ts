/** "Why it changed" (src/ui/page/settled.svelte.ts): the previous run is one the reader saw settle. */
import { describe, expect, it } from 'vitest';
import { defaultParams, type Params } from '../../../../src/model/schema.ts';
import type { Summary } from '../../../../src/model/summary.ts';
import type { RunRecord } from '../../../../src/ui/explain.ts';
import { SETTLED_MS, SettledRuns } from '../../../../src/ui/page/settled.svelte.ts';

const record = (leverage: number, feedbackMultiplier: number): RunRecord => ({
  params: { ...defaultParams(), leverage } as Params,
  summary: { feedbackMultiplier } as Summary,
});

describe('SettledRuns', () => {
  it('says nothing until a second, different run has finished', () => {
    const runs = new SettledRuns();
    runs.finished(1, record(10, 2), 0);
    expect(runs.why()).toBeUndefined();
    runs.finished(2, record(20, 3), SETTLED_MS);
    expect(runs.why()).toBe('Up from 2.00× in the previous run, because leverage rose from 10× to 20×.');
  });

  it('skips a run that passed by while a slider moved', () => {
    const runs = new SettledRuns();
    runs.finished(1, record(10, 2), 0);
    runs.finished(2, record(15, 2.5), SETTLED_MS);
    runs.finished(3, record(20, 3), SETTLED_MS + 10);
    expect(runs.previous?.params.leverage).toBe(10);
    expect(runs.why()).toMatch(/^Up from 2\.00×.*from 10× to 20×/);
  });

  it('ignores the same run reported again and a replay of the same parameters', () => {
    const runs = new SettledRuns();
    runs.finished(1, record(10, 2), 0);
    runs.finished(1, record(10, 2), 5000);
    runs.finished(2, record(10, 2), 5000);
    expect(runs.previous).toBeUndefined();
    expect(runs.why()).toBeUndefined();
  });
});
