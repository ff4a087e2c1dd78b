/**
 * Running an engine in a test: one run to its end, every column copied out (a WASM column is a
 * view of memory the next `init` reuses, so a test that keeps a run must copy it).
 */
import { readSeries, type Engine } from '../../src/model/engine.ts';
import { toEngineBlock, type Params } from '../../src/model/schema.ts';
import type { Series } from '../../src/model/series.ts';

/** Run `params` to the end on `engine`, on the option `grid` (the stylized default when omitted). */
export function runToEnd(engine: Engine, params: Params, grid?: Float64Array): Series {
  engine.init(toEngineBlock(params), grid);
  engine.step(params.ticks);
  return readSeries(engine);
}
