/** The compare mode's parameters (src/ui/page/ab.ts) and the page's debounce (debounce.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultParams, type Params } from '../../../../src/model/schema.ts';
import { paramsOfB, setParam, withParamsA, type AbParams } from '../../../../src/ui/page/ab.ts';
import { atMostEvery, debounceAfterFirst } from '../../../../src/ui/page/debounce.ts';

const base = defaultParams();
const ab = (overridesB: Partial<Params> = {}, params: Params = base): AbParams => ({ params, overridesB });

describe('A/B editing', () => {
  it('editing A changes A; B follows except where it differs', () => {
    const next = setParam(ab({ gex: 1 }), 'A', 'leverage', 20);
    expect(next.params.leverage).toBe(20);
    expect(paramsOfB(next)).toMatchObject({ leverage: 20, gex: 1 });
    expect(next.overridesB).toEqual({ gex: 1 });
  });

  it('editing B records only B’s real differences from A', () => {
    const next = setParam(ab(), 'B', 'leverage', 25);
    expect(next.params).toBe(base);
    expect(next.overridesB).toEqual({ leverage: 25 });
    expect(setParam(next, 'B', 'leverage', base.leverage).overridesB).toEqual({});
  });

  it('an override A catches up with is no longer one', () => {
    expect(setParam(ab({ leverage: 25 }), 'A', 'leverage', 25).overridesB).toEqual({});
    expect(withParamsA(ab({ leverage: 25, gex: 1 }), { ...base, gex: 1 }).overridesB).toEqual({ leverage: 25 });
  });
});

describe('debounceAfterFirst', () => {
  afterEach(() => vi.useRealTimers());

  it('runs the first action at once, later ones after the delay, and cancels a replaced one', () => {
    vi.useFakeTimers();
    const schedule = debounceAfterFirst(100);
    const done: string[] = [];
    schedule(() => done.push('first'));
    vi.advanceTimersByTime(0);
    const cancel = schedule(() => done.push('replaced'));
    vi.advanceTimersByTime(50);
    cancel();
    schedule(() => done.push('last'));
    vi.advanceTimersByTime(99);
    expect(done).toEqual(['first']);
    vi.advanceTimersByTime(1);
    expect(done).toEqual(['first', 'last']);
  });
});

describe('atMostEvery', () => {
  afterEach(() => vi.useRealTimers());

  it('runs a change at once (synchronously) after a quiet spell, later ones no sooner than the interval after the last, the newest replacing a pending one', () => {
    vi.useFakeTimers();
    const schedule = atMostEvery(100, () => Date.now());
    const done: string[] = [];
    schedule(() => done.push('first'));
    expect(done).toEqual(['first']);
    vi.advanceTimersByTime(30);
    const cancel = schedule(() => done.push('replaced'));
    vi.advanceTimersByTime(20);
    cancel();
    schedule(() => done.push('drag'));
    vi.advanceTimersByTime(49);
    expect(done).toEqual(['first']);
    vi.advanceTimersByTime(1);
    expect(done).toEqual(['first', 'drag']);
    // A change long after the last run goes at once again.
    vi.advanceTimersByTime(500);
    schedule(() => done.push('typed'));
    expect(done).toEqual(['first', 'drag', 'typed']);
  });
});
