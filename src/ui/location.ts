/**
 * The page's address bar: the run's parameters live in the query (through `src/state/url.ts`),
 * plus page flags that are not parameters and never reach the parameter parser.
 *
 * Page flags:
 * - `frozen=1`: every run is computed to its end at once, without animation, so the page
 *   settles in a deterministic state (browser tests and screenshots use it). Moving a control
 *   still starts a new run, which also completes at once. The flag stays in the address bar.
 */
import type { Params } from '../model/schema.ts';
import type { Notice } from '../model/validate.ts';
import { decodeQuery, encodeQuery } from '../state/url.ts';

export const FROZEN_FLAG = 'frozen';

export interface PageLocation {
  params: Params;
  notices: Notice[];
  frozen: boolean;
}

/** Read the parameters and page flags of a query string (`location.search`). */
export function readLocation(search: string): PageLocation {
  const query = new URLSearchParams(search);
  const flag = query.get(FROZEN_FLAG);
  query.delete(FROZEN_FLAG);
  const { params, notices } = decodeQuery(query.toString());
  return { params, notices, frozen: flag !== null && flag !== '0' && flag !== 'false' };
}

/** The query string (without `?`) that reproduces this page: the parameters, then the flags. */
export function pageQuery(params: Params, frozen: boolean): string {
  const query = encodeQuery(params);
  return frozen ? `${query}&${FROZEN_FLAG}=1` : query;
}
