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

describe('weighing each change alone', () => {
  it('reruns the previous parameters with each change alone and ranks the changes by effect', async () => {
    const runs = new SettledRuns();
    const before = record(3, 3.9);
    runs.finished(1, before, 0);
    runs.finished(
      2,
      {
        params: { ...before.params, leverage: 15, gex: -0.3 } as Params,
        summary: { feedbackMultiplier: 4.6 } as Summary,
      },
      SETTLED_MS,
    );
    const asked: Partial<Params>[] = [];
    await runs.weigh(async (jobs) => {
      asked.push(...jobs.map((j) => ({ leverage: j.params.leverage, gex: j.params.gex })));
      return jobs.map((j) => (j.params.leverage === 15 ? 4.7 : 3.8));
    });
    // One run per change, each the previous run with only that change.
    expect(asked).toEqual([
      { leverage: 3, gex: -0.3 },
      { leverage: 15, gex: -0.5 },
    ]);
    expect(runs.why()).toBe(
      'Up from 3.90× in the previous run. Each change alone, largest effect first: leverage rose from 3× to 15× (+0.80×) and dealer gamma (GEX sign) rose from −0.5 to −0.3 (−0.10×).',
    );
  });

  it('weighs nothing for a single change or for more than can be weighed', async () => {
    const runs = new SettledRuns();
    runs.finished(1, record(3, 3.9), 0);
    runs.finished(2, record(15, 4.6), SETTLED_MS);
    let called = false;
    await runs.weigh(async () => {
      called = true;
      return [];
    });
    expect(called).toBe(false);
  });
});
