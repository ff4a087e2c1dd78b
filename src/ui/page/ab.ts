/**
 * The compare mode's parameters: run A's, and run B's as the few overrides where B differs from
 * A. Pure functions of the two, so a control edits whichever run is chosen and B never keeps an
 * "override" that A has caught up with.
 */
import type { ParamKey, Params } from '../../model/schema.ts';
import { diffParams } from '../../state/location.ts';

export interface AbParams {
  params: Params;
  /** The parameters where run B differs from run A (empty: B is a copy of A). */
  overridesB: Partial<Params>;
}

export type Editing = 'A' | 'B';

/** Run B's full parameter set. */
export function paramsOfB({ params, overridesB }: AbParams): Params {
  return { ...params, ...overridesB } as Params;
}

/** Run A's parameters replaced; B keeps only its overrides that still differ from the new A. */
export function withParamsA(ab: AbParams, params: Params): AbParams {
  return { params, overridesB: diffParams(params, paramsOfB({ params, overridesB: ab.overridesB })) };
}

/** One control moved: it changes run B's overrides when B is edited, else run A. */
export function setParam(ab: AbParams, editing: Editing, key: ParamKey, value: number | string): AbParams {
  if (editing === 'B') {
    const next = { ...paramsOfB(ab), [key]: value } as Params;
    return { params: ab.params, overridesB: diffParams(ab.params, next) };
  }
  return withParamsA(ab, { ...ab.params, [key]: value } as Params);
}
