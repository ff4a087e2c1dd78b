/**
 * Reads an options chain file off the page's thread: the page hands over the File (a handle, not
 * its bytes), this worker reads and parses it (src/model/chain-import.ts) and answers once, so a
 * large file never freezes the page. src/sim/client.ts (`readChainFile`) starts one per file.
 */
import { ChainError, parseChain, type ChainImport } from '../model/chain-import.ts';

export type ChainReply =
  | { ok: true; chain: ChainImport }
  /** `chainError`: the file is not a chain (the message says where); otherwise it could not be read. */
  | { ok: false; message: string; chainError: boolean };

self.addEventListener('message', async (event: MessageEvent<{ file: File }>) => {
  const { file } = event.data;
  let reply: ChainReply;
  try {
    reply = { ok: true, chain: parseChain(await file.text(), file.name) };
  } catch (error) {
    reply =
      error instanceof ChainError
        ? { ok: false, message: error.message, chainError: true }
        : { ok: false, message: `could not read ${file.name}: ${String(error)}`, chainError: false };
  }
  postMessage(reply);
});
