/**
 * Large options-chain files for the reliability tests: the real Deribit 2020 chain (quoted order
 * books and all, every row with its own timestamp) repeated with a shifted snapshot time until
 * the text reaches the size asked for, as a multi-snapshot export would be.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SHARED = fileURLToPath(new URL('../../../shared/data/deribit_btc_options_2020-05-14.csv', import.meta.url));
/** The committed sample of the same export, where ../shared/data is not checked out. */
const SAMPLE = fileURLToPath(new URL('../fixtures/chains/deribit-chain-sample.csv', import.meta.url));

/** A Deribit-format chain CSV of at least `bytes` bytes (ASCII, so bytes = characters). */
export function bigDeribitCsv(bytes: number): string {
  const source = existsSync(SHARED) ? SHARED : SAMPLE;
  const [header, ...rows] = readFileSync(source, 'utf8').trimEnd().split('\n');
  const parts = [header];
  let size = header.length + 1;
  for (let copy = 0; size < bytes; copy++) {
    for (const row of rows) {
      // The `timestamp` column (ms) moves one second a copy: every snapshot time differs.
      const line = row.replace(/,(1589\d{9}),/, (_, ms) => `,${Number(ms) + copy * 1000},`);
      parts.push(line);
      size += line.length + 1;
      if (size >= bytes) break;
    }
  }
  return `${parts.join('\n')}\n`;
}

/** A generic chain CSV of `rows` rows, each with its own timestamp (the shape that overflowed Math.max(...)). */
export function manyRowsCsv(rows: number): string {
  const lines = ['type,strike,expiry,open_interest,spot,timestamp'];
  for (let i = 0; i < rows; i++) {
    const strike = 2000 + (i % 400) * 5;
    lines.push(`${i % 2 ? 'call' : 'put'},${strike},2024-06-28,${1 + (i % 97)},3000,${1709294400000 + i}`);
  }
  return `${lines.join('\n')}\n`;
}
