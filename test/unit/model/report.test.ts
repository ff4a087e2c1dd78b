/** The run's files (src/model/report.ts): what they carry to replay a run. */
import { describe, expect, test } from 'vitest';
import { parseChain } from '../../../src/model/chain-import.ts';
import { REAL_CHAIN } from '../../../src/model/real-chain.ts';
import { defaultParams } from '../../../src/model/schema.ts';
import { summarize } from '../../../src/model/summary.ts';
import { chainCsv, reportCsv, reportJson } from '../../../src/model/report.ts';
import { seriesOf } from '../../support/series.ts';

describe('chainCsv', () => {
  test('a chain written out reads back to the same grid, number for number', () => {
    const text = chainCsv(REAL_CHAIN.grid);
    expect(parseChain(text, 'exported.csv').grid).toEqual(REAL_CHAIN.grid);
  });
});

describe('reports', () => {
  const series = seriesOf(3, { price: [100, 99, 98, 97], cfPrice: [100, 99.5, 99, 98.5] });
  const report = {
    params: defaultParams(),
    link: 'http://127.0.0.1:4173/?v=1&seed=7&chain=deribit-btc-2020-05-14',
    preset: 'real-chain',
    chain: { id: 'deribit-btc-2020-05-14', label: 'Deribit BTC options, 14 May 2020' },
    summary: summarize(series, defaultParams()),
    series,
  };

  test('the CSV preamble names the parameters, the preset, the chain and the link', () => {
    const preamble = reportCsv(report)
      .split('\n')
      .filter((line) => line.startsWith('# '));
    expect(preamble).toContain(`# params: ${JSON.stringify(defaultParams())}`);
    expect(preamble).toContain('# preset: real-chain');
    expect(preamble).toContain('# chain: deribit-btc-2020-05-14 (Deribit BTC options, 14 May 2020)');
    expect(preamble).toContain(`# link: ${report.link}`);
  });

  test('the JSON carries the link and the chain', () => {
    const json = JSON.parse(reportJson(report));
    expect(Object.keys(json)).toEqual(['params', 'link', 'preset', 'chain', 'summary', 'series']);
    expect(json.chain).toEqual(report.chain);
  });
});
