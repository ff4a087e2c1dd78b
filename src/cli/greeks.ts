/**
 * `cascade-lab greeks`: Black–Scholes–Merton price and Greeks of one European option, computed
 * by the WASM engine's own pricer, so the numbers are the ones the dealers in a run hedge with.
 * Vega and rho per 1.00 change of vol and rate, theta per year. At vol 0 or time 0 the values are
 * the formulas' limits (discounted intrinsic value, deltas of 0 or ±e^(−qT)); exactly at the
 * forward, where gamma has no finite limit, the command says so instead of printing a number.
 */
import { atForwardLimit } from '../model/greeks.ts';
import { assertFinite } from '../model/report.ts';
import type { ParamSpec } from '../model/schema.ts';
import { describeProblem, parseValue } from '../model/validate.ts';
import { UsageError, mustBe, parseFlags, type FlagTable } from './args.ts';
import type { CliDeps, OptionInput } from './deps.ts';

type GreeksInput = ParamSpec & { key: keyof OptionInput; required: boolean };

/**
 * The flags, validated like parameters so errors read the same. For a required flag, `default`
 * is only the example the help shows (Hull's textbook option, delta ≈ 0.522).
 */
export const GREEKS_INPUTS: readonly GreeksInput[] = [
  {
    key: 'type',
    type: 'enum',
    options: ['call', 'put'],
    default: 'call',
    required: true,
    label: 'Option type',
    help: 'call or put',
    group: 'Market',
  },
  {
    key: 'spot',
    type: 'float',
    min: 0,
    minExclusive: true,
    max: 1e12,
    default: 49,
    required: true,
    label: 'Spot price',
    help: 'Price of the underlying',
    group: 'Market',
    step: 1,
  },
  {
    key: 'strike',
    type: 'float',
    min: 0,
    minExclusive: true,
    max: 1e12,
    default: 50,
    required: true,
    label: 'Strike',
    help: 'Strike price',
    group: 'Market',
    step: 1,
  },
  {
    key: 'time',
    type: 'float',
    min: 0,
    max: 100,
    default: 0.3846,
    required: true,
    label: 'Time to expiry',
    unit: 'years',
    help: 'Time to expiry in years',
    group: 'Market',
    step: 0.01,
  },
  {
    key: 'vol',
    type: 'float',
    min: 0,
    max: 10,
    default: 0.2,
    required: true,
    label: 'Volatility',
    unit: '/yr',
    help: 'Annualized volatility (0.2 = 20%)',
    group: 'Market',
    step: 0.01,
  },
  {
    key: 'rate',
    type: 'float',
    min: -1,
    max: 1,
    default: 0,
    required: false,
    label: 'Interest rate',
    unit: '/yr',
    help: 'Continuously compounded risk-free rate',
    group: 'Market',
    step: 0.001,
  },
  {
    key: 'dividend',
    type: 'float',
    min: -1,
    max: 1,
    default: 0,
    required: false,
    label: 'Dividend yield',
    unit: '/yr',
    help: 'Continuous dividend or carry yield',
    group: 'Market',
    step: 0.001,
  },
];

const GREEKS_FLAGS: FlagTable = new Map(GREEKS_INPUTS.map((input) => [input.key, mustBe(input)]));

export async function greeksCommand(args: readonly string[], deps: CliDeps): Promise<void> {
  const option = readOption(parseFlags('greeks', args, GREEKS_FLAGS));
  const { spot, strike, time, rate, dividend, vol } = option;
  if (atForwardLimit(spot, strike, time, rate, dividend, vol))
    throw new UsageError(
      `vol: with vol × √time = 0 (vol ${vol}, time ${time}) an option exactly at its forward (spot × e^(−dividend × time) = strike × e^(−rate × time)) has no finite gamma; give a vol and a time above 0, or another strike`,
    );
  const { price, delta, gamma, vega, theta, rho } = await deps.greeks(option);
  const greeks = { price, delta, gamma, vega, theta, rho };
  assertFinite('greek', greeks);
  deps.stdout(`${JSON.stringify(greeks, null, 2)}\n`);
}

function readOption(flags: readonly [string, string][]): OptionInput {
  const given = new Map(flags);
  const option: Record<string, number | string> = {};
  for (const input of GREEKS_INPUTS) {
    const raw = given.get(input.key);
    if (raw === undefined) {
      if (input.required) throw new UsageError(`${input.key}: the flag --${input.key} is required; ${mustBe(input)}`);
      option[input.key] = input.default;
      continue;
    }
    const parsed = parseValue(input, raw);
    if (!parsed.ok) throw new UsageError(describeProblem(input, raw));
    option[input.key] = parsed.value;
  }
  return option as unknown as OptionInput;
}
