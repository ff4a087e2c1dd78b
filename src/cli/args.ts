/**
 * Command-line flags: `--name value` or `--name=value`, each flag taking exactly one value, so a
 * negative number (`--gex -1`) is read as a value, never as a flag. Knows nothing of parameters:
 * each command hands in the flags it accepts, with a line saying what each expects.
 */
import { describeRange, type ParamSpec } from '../model/schema.ts';
import { nearestKey, quoteInput, visibleInput } from '../model/validate.ts';

/** Bad input from the user: one line on stderr, exit status 2. */
export class UsageError extends Error {}

/** For each accepted flag name (without `--`): what its value must be, for the error line. */
export type FlagTable = ReadonlyMap<string, string>;

/** The flags of one command, in the order given; a repeated flag keeps every occurrence. */
export function parseFlags(command: string, args: readonly string[], flags: FlagTable): [string, string][] {
  const entries: [string, string][] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (!token.startsWith('--') || token === '--') {
      throw new UsageError(
        `unexpected argument ${show(token)} for "${command}"; flags look like --name value (see cascade-lab --help)`,
      );
    }
    const equals = token.indexOf('=');
    const name = equals < 0 ? token.slice(2) : token.slice(2, equals);
    const expects = flags.get(name);
    if (expects === undefined) {
      const near = nearestKey(name, [...flags.keys()]);
      throw new UsageError(
        `unknown flag --${visibleInput(name)} for "${command}"${near ? ` (did you mean --${near}?)` : ''} (see cascade-lab --help)`,
      );
    }
    let value: string | undefined;
    if (equals >= 0) value = token.slice(equals + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i];
    if (value === undefined) throw new UsageError(`${name}: a value is missing; ${expects}`);
    entries.push([name, value]);
  }
  return entries;
}

/** `--name` given as one of `options`, or `fallback` when absent (the last occurrence wins). */
export function pickOption<T extends string>(
  entries: readonly [string, string][],
  name: string,
  options: readonly T[],
  fallback: T,
): T {
  const value = lastValue(entries, name);
  if (value === undefined) return fallback;
  if (!(options as readonly string[]).includes(value))
    throw new UsageError(`${name}: ${show(value)} is not allowed; ${mustBeOneOf(name, options)}`);
  return value as T;
}

export function lastValue(entries: readonly [string, string][], name: string): string | undefined {
  return entries.filter(([key]) => key === name).at(-1)?.[1];
}

/** What a schema-like flag expects, worded as in every parameter error: `leverage (Leverage) must be …`. */
export function mustBe(spec: ParamSpec): string {
  return `${spec.key} (${spec.label}) must be ${describeRange(spec)}`;
}

export function mustBeOneOf(name: string, options: readonly string[]): string {
  return `${name} must be one of ${options.join(', ')}`;
}

/** A user's value quoted for an error line, cut short so a pasted blob stays one short line, invisible characters escaped. */
export function show(value: string): string {
  return quoteInput(value);
}
