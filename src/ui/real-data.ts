/**
 * Real market data beside the simulation, as the page holds it: the dealers' options book when
 * it is real (a chain of the registry in src/model/chains.ts, which a link can name, or a file
 * the reader loaded, which no link can carry) and the real crash's price path drawn beside the run.
 */
import { CHAINS, chainGrid, type ChainId } from '../model/chains.ts';
import type { ChainImport } from '../model/chain-import.ts';
import { HISTORY_PATHS, alignHistory, type HistoryId } from '../model/history.ts';
import { toGridBlock } from '../model/option-grid.ts';
import type { Params } from '../model/schema.ts';
import { readChainFile } from '../sim/client.ts';

/** The dealer book's option grid when it is not the stylized default: a registry chain, or a file with the chain read from it (its series travel in the page's downloads). */
export type BookSource =
  | { kind: 'chain'; id: ChainId }
  | { kind: 'file'; name: string; grid: Float64Array; notes: string[]; chain: ChainImport };

/** The engine's grid block for a book source (undefined: the stylized default grid). */
export function bookGrid(book: BookSource | undefined): Float64Array | undefined {
  if (!book) return undefined;
  return book.kind === 'file' ? book.grid : chainGrid(book.id);
}

export function bookLabel(book: BookSource): string {
  return book.kind === 'chain' ? CHAINS[book.id].label : book.name;
}

/**
 * An options chain file the reader chose (CSV or Deribit JSON) as a book source, read and parsed
 * off the page's thread after a size check; throws a ChainError naming the problem.
 */
export async function bookFromChainFile(file: File): Promise<BookSource> {
  return bookOf(file.name, await readChainFile(file));
}

function bookOf(name: string, chain: ChainImport): BookSource {
  const read = `${chain.instruments} of ${chain.rows} instruments read, spot ${chain.spot}${chain.asOf ? ` at ${chain.asOf}` : ''}.`;
  return { kind: 'file', name, grid: toGridBlock(chain.grid), notes: [read, ...chain.notes], chain };
}

/** A real price path aligned with a run, for the price chart: its label and its price at each tick (NaN: no data). */
export interface HistoryLine {
  label: string;
  values: Float64Array;
  /**
   * For a path of daily closes: the ticks where its closes fall. Those are drawn as points: a
   * line between two closes would show a straight slide across a session the data knows nothing
   * of (the Dow on 19 Oct 1987 is one close at 16:00).
   */
  closes?: number[];
}

/**
 * A data set's label as the page prints it: Binance's "USDⓈ-M" with a plain S, because the
 * circled letter is missing from many system fonts and drew as an empty box in the legend.
 */
export function displayLabel(label: string): string {
  return label.replaceAll('Ⓢ', 'S');
}

export function historyLine(id: HistoryId, params: Params): HistoryLine {
  const path = HISTORY_PATHS[id];
  const values = alignHistory(id, params);
  const label = displayLabel(path.label);
  if (path.resolution !== '1d') return { label, values };
  const closes = path.minutes.map((m) => m + params.shockStart).filter((t) => t >= 0 && t <= params.ticks);
  return { label, values, closes };
}
