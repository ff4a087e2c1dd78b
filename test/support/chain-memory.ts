/**
 * Run as its own process (`node --import tsx test/support/chain-memory.ts MB`) by the chain
 * importer's tests: builds a Deribit-format chain of MB megabytes, parses it, and prints what it
 * read with the process's peak memory, so the measure is of the parse alone, not of a test runner.
 */
import { parseChain } from '../../src/model/chain-import.ts';
import { bigDeribitCsv } from './big-chain.ts';

const megabytes = Number(process.argv[2] ?? 50);
const text = bigDeribitCsv(megabytes * 1024 * 1024);
const chain = parseChain(text, 'big.csv');
process.stdout.write(
  `${JSON.stringify({
    bytes: text.length,
    rows: chain.rows,
    instruments: chain.instruments,
    asOf: chain.asOf,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
