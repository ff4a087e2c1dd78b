/**
 * Real market data beside the simulation: the options chains that can shape the dealer book
 * (named in a link as `chain=<id>`, or loaded from a file, which no link can carry) and the real
 * price paths of past crashes drawn beside the run (`history=<id>`).
 */
import { parseChain } from '../model/chain-import.ts';
import { HISTORY_PATHS, alignHistory, isHistoryId, type HistoryId } from '../model/history.ts';
import { toGridBlock } from '../model/option-grid.ts';
import { REAL_CHAIN } from '../model/real-chain.ts';
import type { Params } from '../model/schema.ts';

/** The chains a link can name. */
export const CHAINS = { 'deribit-btc-2020-05-14': REAL_CHAIN } as const;
export type ChainId = keyof typeof CHAINS;

export function isChainId(id: string): id is ChainId {
  return Object.hasOwn(CHAINS, id);
}

/** The dealer book's option grid when it is not the stylized default. */
export type BookSource = { kind: 'chain'; id: ChainId } | { kind: 'file'; name: string; grid: Float64Array; notes: string[] };

const grids = new Map<ChainId, Float64Array>();

/** The engine's grid block for a book source (undefined: the stylized default grid). */
export function bookGrid(book: BookSource | undefined): Float64Array | undefined {
  if (!book) return undefined;
  if (book.kind === 'file') return book.grid;
  let grid = grids.get(book.id);
  if (!grid) grids.set(book.id, (grid = toGridBlock(CHAINS[book.id].grid)));
  return grid;
}

export function bookLabel(book: BookSource): string {
  return book.kind === 'chain' ? CHAINS[book.id].label : book.name;
}

/** Read an options chain file (CSV or Deribit JSON) into a book source; throws a ChainError naming the problem. */
export function bookFromFile(name: string, text: string): BookSource {
  const chain = parseChain(text, name);
  const read = `${chain.instruments} of ${chain.rows} instruments read, spot ${chain.spot}${chain.asOf ? ` at ${chain.asOf}` : ''}.`;
  return { kind: 'file', name, grid: toGridBlock(chain.grid), notes: [read, ...chain.notes] };
}

export { HISTORY_PATHS, isHistoryId, type HistoryId };

/** A real price path aligned with a run, for the price chart: its label and its price at each tick (NaN: no data). */
export interface HistoryLine {
  label: string;
  values: Float64Array;
}

export function historyLine(id: HistoryId, params: Params): HistoryLine {
  return { label: HISTORY_PATHS[id].label, values: alignHistory(id, params) };
}
