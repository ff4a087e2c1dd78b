/**
 * The usage text, generated from the schema and the commands' flag tables, so it can never
 * list a flag that does not exist or miss one that does.
 */
import { PRESETS } from '../model/presets.ts';
import { SCHEMA, describeRange, type ParamGroup, type ParamSpec } from '../model/schema.ts';
import { GREEKS_INPUTS } from './greeks.ts';
import { ENGINES, FORMATS } from './run.ts';

export function usage(): string {
  const groups = [...new Set(SCHEMA.map((spec) => spec.group))] as ParamGroup[];
  return [
    'cascade-lab: watch a crypto market amplify a small shock into a crash, next to its counterfactual.',
    '',
    'Usage:',
    '  cascade-lab run [--preset NAME] [--<param> VALUE]... [--url LINK] [--engine wasm|reference]',
    '                  [--chain FILE] [--format json|csv] [--out FILE]',
    '  cascade-lab greeks --type call|put --spot S --strike K --time T --vol V [--rate R] [--dividend Q]',
    '  cascade-lab ensemble [run flags] --seeds A-B [--format json|csv] [--workers N] [--cascade D] [--out FILE]',
    '  cascade-lab attribute [run flags] [--method auto|exact|sampled] [--permutations M] [--workers N] [--out FILE]',
    '  cascade-lab sweep [run flags] --x KEY=FROM:TO:N --y KEY=FROM:TO:N --seeds A-B [--workers N]',
    '                    [--queue redis://HOST:PORT] [--out FILE]',
    '  cascade-lab worker --queue redis://HOST:PORT [--workers N] [--lock SECONDS]',
    '  cascade-lab presets',
    '  cascade-lab help',
    '',
    'Commands:',
    '  run      Simulate one run and print { params, summary, series } as JSON, or the series as CSV.',
    '           A preset that tells a historical crash adds its real price path, aligned at the shock',
    '           and rescaled to the start price: a `history` series (null / empty where there is no data).',
    '  greeks   Black–Scholes–Merton price, delta, gamma, vega, theta, rho of one option, from the',
    '           WASM engine (vega and rho per 1.00 of vol and rate, theta per year).',
    '  ensemble The run over the seeds A to B on a pool of threads: { params, seeds, cascade, summary,',
    '           bands, runs } as JSON (each summary field\u2019s mean and 5th–95th percentiles, the price\u2019s',
    '           and counterfactual\u2019s percentile bands tick by tick, every run\u2019s summary), or one CSV row a',
    '           run. A cascade is a max drawdown beyond --cascade (default 0.1).',
    '  attribute The run\u2019s max drawdown split into the shock and each feedback loop present (Shapley',
    '           values over the loops switched on and off on the same seed): { params, drawdown,',
    '           counterfactualDrawdown, contributions, method, error, loops, runs }; the parts sum to drawdown.',
    '  sweep    A grid of two numeric parameters × seeds, one CSV row a run (x, y, seed, summary), on a',
    '           pool of threads, or with --queue as jobs on a BullMQ queue in Redis for `worker`s anywhere.',
    '  worker   Run the jobs of `sweep --queue` on this machine until stopped (SIGINT or SIGTERM).',
    '  presets  List the scenario presets.',
    '',
    'Options of run (parameters are layered: defaults < --preset < --url < --<param> flags):',
    row('--preset NAME', `one of ${PRESETS.map((p) => p.name).join(', ')}`),
    row('--url LINK', 'a shared Cascade Lab link, or its query string; its chain and history apply,'),
    row('', 'its display settings and run B of a compare link are named in a note on stderr'),
    row('--chain FILE', 'draw the dealers\u2019 option books from a real chain instead of the stylized grid:'),
    row('', 'a CSV with columns type,strike,expiry,open_interest (+ spot or underlying_price,'),
    row('', 'and as_of or timestamp when expiries are dates), a Deribit chain CSV, or Deribit\u2019s'),
    row('', 'public/get_book_summary_by_currency JSON (kind=option); weight = open interest'),
    row('--engine KIND', `${ENGINES.join(' or ')} (default wasm)`),
    row('--format FORMAT', `${FORMATS.join(' or ')} (default json)`),
    row('--out FILE', 'write to FILE instead of standard output'),
    '',
    "Parameters of run (each also a key of the page's link):",
    ...groups.flatMap((group) => [
      `  ${group}`,
      ...SCHEMA.filter((spec) => spec.group === group).map((spec) =>
        paramRow(spec, `default ${formatValue(spec.default)}`),
      ),
    ]),
    '',
    'Options of greeks:',
    ...GREEKS_INPUTS.map((input) =>
      paramRow(input, input.required ? `required, e.g. ${input.default}` : `default ${input.default}`),
    ),
    '',
    'Flags take one value each, as --name VALUE or --name=VALUE (negative numbers too: --gex -1).',
    'Numbers are decimal, as 25, -0.5, .5 or 2e10: hex (0x10), octal, binary, Infinity, NaN and',
    'values with spaces around them are refused.',
    'Bad input prints one line and exits with status 2.',
    '',
    'Example:',
    '  cascade-lab run --leverage 25 --gex -1 --liqSpeed 1 --shock 0.05 --seed 7',
    '',
  ].join('\n');
}

function paramRow(spec: ParamSpec, fallback: string): string {
  const unit = 'unit' in spec && spec.unit ? ` (${spec.unit})` : '';
  return row(`--${spec.key}`, `${spec.label}${unit}: ${describeRange(spec)}; ${fallback}`);
}

/** Large round numbers as `2e10`, the way the ranges beside them read (and a form the flags accept). */
function formatValue(value: number | string): string {
  if (typeof value !== 'number') return value;
  const exponential = value.toExponential().replace('+', '');
  return Math.abs(value) >= 1e6 && exponential.length < String(value).length ? exponential : String(value);
}

function row(flag: string, text: string): string {
  return `    ${flag.padEnd(18)} ${text}`;
}
