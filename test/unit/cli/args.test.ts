import { describe, expect, it } from 'vitest';
import { UsageError, parseFlags, pickOption } from '../../../src/cli/args.ts';

const FLAGS = new Map([
  ['gex', 'gex (Dealer gamma) must be a number in [-1, 1]'],
  ['url', 'url must be a link'],
]);

describe('parseFlags', () => {
  it('reads --name value and --name=value, keeping order and repeats', () => {
    expect(parseFlags('run', ['--gex', '0.5', '--url=https://x.org/?a=1&b=2', '--gex=-1'], FLAGS)).toEqual([
      ['gex', '0.5'],
      ['url', 'https://x.org/?a=1&b=2'],
      ['gex', '-1'],
    ]);
  });

  it('takes a negative number as a value, not as a flag', () => {
    expect(parseFlags('run', ['--gex', '-1'], FLAGS)).toEqual([['gex', '-1']]);
  });

  it('keeps an explicitly empty value for the validator to judge', () => {
    expect(parseFlags('run', ['--gex='], FLAGS)).toEqual([['gex', '']]);
  });

  it.each([
    [['--gexx', '1'], /^unknown flag --gexx for "run"/],
    [['--gex'], /^gex: a value is missing; gex \(Dealer gamma\) must be a number in \[-1, 1\]$/],
    [['--gex', '--url', 'x'], /^gex: a value is missing/],
    [['gex', '1'], /^unexpected argument "gex"/],
    [['-g', '1'], /^unexpected argument "-g"/],
    [['--', '1'], /^unexpected argument "--"/],
  ])('rejects %j', (args, message) => {
    expect(() => parseFlags('run', args, FLAGS)).toThrow(UsageError);
    expect(() => parseFlags('run', args, FLAGS)).toThrow(message);
  });
});

describe('pickOption', () => {
  const entries: [string, string][] = [
    ['format', 'json'],
    ['format', 'csv'],
  ];

  it('takes the last occurrence, or the fallback', () => {
    expect(pickOption(entries, 'format', ['json', 'csv'], 'json')).toBe('csv');
    expect(pickOption([], 'format', ['json', 'csv'], 'json')).toBe('json');
  });

  it('names the allowed options when the value is not one of them', () => {
    expect(() => pickOption([['format', 'xml']], 'format', ['json', 'csv'], 'json')).toThrow(
      'format: "xml" is not allowed; format must be one of json, csv',
    );
  });
});
