/**
 * Undo and redo of the reader's changes (Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z or Ctrl+Y): a stack of the
 * page's states before each change. A slider dragged across many values is one change: changes
 * to the same control within COALESCE_MS of each other fold into the first.
 */

/** Changes to the same control closer together than this are one change (a slider being dragged). */
export const COALESCE_MS = 800;
/** States kept to undo into. */
const LIMIT = 100;

export class UndoHistory<T> {
  canUndo = $state(false);
  canRedo = $state(false);
  #past: T[] = [];
  #future: T[] = [];
  #lastKey: string | undefined;
  #lastAt = -Infinity;

  /**
   * A change is about to replace `before`: remember it (unless it continues the same control's
   * change, `key`, within COALESCE_MS), and forget what could be redone.
   */
  record(before: T, key: string | undefined, now: number): void {
    const continues = key !== undefined && key === this.#lastKey && now - this.#lastAt < COALESCE_MS;
    this.#lastKey = key;
    this.#lastAt = now;
    if (continues) return;
    this.#past.push(before);
    if (this.#past.length > LIMIT) this.#past.shift();
    this.#future = [];
    this.#sync();
  }

  /** The state before the last change (to restore), keeping `current` to redo; undefined when there is none. */
  undo(current: T): T | undefined {
    const previous = this.#past.pop();
    if (previous === undefined) return undefined;
    this.#future.push(current);
    this.#lastKey = undefined;
    this.#sync();
    return previous;
  }

  /** The state the last undo left (to restore), keeping `current` to undo again; undefined when there is none. */
  redo(current: T): T | undefined {
    const next = this.#future.pop();
    if (next === undefined) return undefined;
    this.#past.push(current);
    this.#lastKey = undefined;
    this.#sync();
    return next;
  }

  #sync(): void {
    this.canUndo = this.#past.length > 0;
    this.canRedo = this.#future.length > 0;
  }
}

/** Whether a key press is undo (`'undo'`), redo (`'redo'`) or neither, on any platform. */
export function undoKey(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): 'undo' | 'redo' | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return undefined;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !event.shiftKey) return 'redo';
  return undefined;
}
