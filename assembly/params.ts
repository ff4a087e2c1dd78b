// The parameter block: written by JS (through `paramBlock()`), read by every mechanism at init.
import { P } from './layout';

export const params = new StaticArray<f64>(P.COUNT);

// @ts-ignore: decorator
@inline export function param(key: P): f64 {
  return unchecked(params[key]);
}
