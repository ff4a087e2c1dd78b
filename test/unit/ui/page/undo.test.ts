import { describe, expect, test } from 'vitest';
import { COALESCE_MS, UndoHistory, undoKey } from '../../../../src/ui/page/undo.svelte.ts';

describe('UndoHistory', () => {
  test('undoes and redoes changes in order, and a new change forgets the redo', () => {
    const history = new UndoHistory<number>();
    let state = 0;
    const change = (next: number, key: string, now: number) => {
      history.record(state, key, now);
      state = next;
    };
    change(1, 'leverage', 0);
    change(2, 'gex', 10_000);
    expect(history.canUndo).toBe(true);
    state = history.undo(state)!;
    expect(state).toBe(1);
    expect(history.canRedo).toBe(true);
    state = history.redo(state)!;
    expect(state).toBe(2);
    state = history.undo(state)!;
    change(5, 'shock', 20_000);
    expect(history.canRedo).toBe(false);
    expect(history.redo(state)).toBeUndefined();
    expect(history.undo(state)).toBe(1);
  });

  test('a slider dragged through many values is one change', () => {
    const history = new UndoHistory<number>();
    for (let v = 0; v < 20; v++) history.record(v, 'leverage', v * (COALESCE_MS / 4));
    expect(history.undo(20)).toBe(0);
    expect(history.canUndo).toBe(false);
  });

  test('Ctrl/Cmd+Z undoes, with Shift (or Ctrl+Y) it redoes', () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
      undoKey({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('z', { metaKey: true })).toBe('undo');
    expect(key('Z', { metaKey: true, shiftKey: true })).toBe('redo');
    expect(key('y', { ctrlKey: true })).toBe('redo');
    expect(key('z')).toBeUndefined();
    expect(key('z', { ctrlKey: true, altKey: true })).toBeUndefined();
  });
});
