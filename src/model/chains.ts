/**
 * The registry of real options chains a preset or a link can name (`chain=<id>`): the page's
 * menu, the link reader, the CLI and the tests all read it here, so a chain added to it is
 * offered everywhere at once.
 */
import { toGridBlock } from './option-grid.ts';
import type { Preset } from './presets.ts';
import { REAL_CHAIN } from './real-chain.ts';

export const CHAINS = { 'deribit-btc-2020-05-14': REAL_CHAIN } as const;
export type ChainId = keyof typeof CHAINS;

export function isChainId(id: string): id is ChainId {
  return Object.hasOwn(CHAINS, id);
}

const grids = new Map<ChainId, Float64Array>();

/** The engine's grid block of a named chain, built once; callers must not write to it. */
export function chainGrid(id: ChainId): Float64Array {
  let grid = grids.get(id);
  if (!grid) grids.set(id, (grid = toGridBlock(CHAINS[id].grid)));
  return grid;
}

/** The option grid a preset runs on: its chain's, or undefined for the stylized default grid. */
export function presetGrid(preset: Pick<Preset, 'chain'> | undefined): Float64Array | undefined {
  return preset?.chain === undefined ? undefined : chainGrid(preset.chain);
}
