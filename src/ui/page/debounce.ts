/**
 * The page follows a moving control with a delay, but its first run and its first address start
 * at once: `debounceAfterFirst(ms)` gives a scheduler whose first call runs after 0 ms and every
 * later one after `ms`, each returning its own cancel (an `$effect`'s cleanup, so a newer change
 * replaces a pending one).
 */
export function debounceAfterFirst(ms: number): (action: () => void) => () => void {
  let first = true;
  return (action) => {
    const timer = setTimeout(action, first ? 0 : ms);
    first = false;
    return () => clearTimeout(timer);
  };
}
