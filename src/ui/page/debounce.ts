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

/**
 * A moving control that restarts something costly: `atMostEvery(ms)` gives a scheduler whose
 * action runs at once — synchronously, inside the call — when the last one ran at least `ms`
 * ago, else when `ms` have passed since it; each call returns its cancel (an `$effect`'s
 * cleanup, so a newer change replaces a pending one and the last change always runs). Unlike a
 * debounce, a single change — a typed value, a click, the first step of a drag — is not held
 * back at all, not even behind the frame that redraws the control.
 */
export function atMostEvery(
  ms: number,
  now: () => number = () => performance.now(),
): (action: () => void) => () => void {
  let last = -Infinity;
  return (action) => {
    const wait = last + ms - now();
    if (wait <= 0) {
      last = now();
      action();
      return () => undefined;
    }
    const timer = setTimeout(() => {
      last = now();
      action();
    }, wait);
    return () => clearTimeout(timer);
  };
}
