/**
 * The widget's message protocol with the page that embeds it (`window.postMessage`), both ways:
 * every message's shape, and the validation of what the host sends. Pure (no DOM, no state), so
 * it can be tested and fuzzed alone; `./Embed.svelte` does the posting and listening, and
 * `static/embed.js` (the host script) checks the same shapes on its side.
 *
 * Every message is a plain object `{ type: 'cascade-lab:<name>', version: 1, … }`.
 *
 * Widget → host: `ready` (`params`, `ticks`), `height` (`height`, CSS pixels), `progress` (`tick`,
 * `ticks`; a few a second while a run plays), `done` (`summary`, `params`), `params` (`params`,
 * `cause`: after a control, a `set` or a `preset` changed them), `error` (`command`, `message`,
 * `problems`: a command that was refused, changing nothing).
 *
 * Host → widget: `set` (`params`: parameter keys to values, read through the schema as a link's
 * values are, all or nothing), `play`, `pause`, `seek` (`tick`), `preset` (`name`). A command may
 * carry an `id` (string or number), echoed in its `error` reply. `version` may be left out; a
 * version the widget does not speak is refused. Anything whose `type` is not `cascade-lab:…` is
 * not for the widget and is ignored without a reply.
 */
import { PRESETS, findPreset, type Preset } from '../model/presets.ts';
import { PARAM_KEYS, describeRange, paramSpec, type Params } from '../model/schema.ts';
import type { Summary } from '../model/summary.ts';
import { parseValue, visibleInput, type Notice } from '../model/validate.ts';

export const NAMESPACE = 'cascade-lab';
export const PROTOCOL_VERSION = 1;

/** The widget's messages to its host. */
export type WidgetMessage =
  | { type: 'cascade-lab:ready'; version: 1; params: Params; ticks: number }
  | { type: 'cascade-lab:height'; version: 1; height: number }
  | { type: 'cascade-lab:progress'; version: 1; tick: number; ticks: number }
  | { type: 'cascade-lab:done'; version: 1; summary: Summary; params: Params }
  | { type: 'cascade-lab:params'; version: 1; params: Params; cause: ParamsCause }
  | ErrorMessage;

export type ParamsCause = 'control' | 'set' | 'preset';

export interface ErrorMessage {
  type: 'cascade-lab:error';
  version: 1;
  /** The command refused (`set`, `seek`, …; the type as sent when it is not one). */
  command: string;
  /** One line: what was wrong and what is allowed. */
  message: string;
  /** One line a parameter, for a `set`: each names the parameter and its allowed range. */
  problems: Notice[];
  id?: string | number;
}

/** A host command, validated against the widget's state. */
export type Command =
  | { kind: 'set'; params: Params }
  | { kind: 'play' }
  | { kind: 'pause' }
  | { kind: 'seek'; tick: number }
  | { kind: 'preset'; preset: Preset };

/** What a received message means: not ours, a valid command, or a refusal to send back. */
export type Received =
  { kind: 'ignore' } | { kind: 'command'; command: Command } | { kind: 'refuse'; error: ErrorMessage };

/** What a command is checked against: the widget's parameters and its run's length. */
export interface WidgetState {
  params: Params;
  ticks: number;
}

/** A `set` may name at most this many keys (more than the schema has). */
const MAX_SET_KEYS = 200;
/** A refusal lists at most this many problems, then says how many more. */
const MAX_PROBLEMS = 10;
/** Text from the host is quoted at most this long. */
const MAX_QUOTE = 40;

/** Read a message the parent window sent. Never throws, whatever `data` is. */
export function readCommand(data: unknown, state: WidgetState): Received {
  try {
    return read(data, state);
  } catch {
    // Structured cloning delivers plain data, so this is only for callers that pass live objects (getters, proxies).
    return { kind: 'ignore' };
  }
}

function read(data: unknown, state: WidgetState): Received {
  if (!isPlainObject(data)) return { kind: 'ignore' };
  const type = data.type;
  if (typeof type !== 'string' || !type.startsWith(`${NAMESPACE}:`)) return { kind: 'ignore' };
  const name = type.slice(NAMESPACE.length + 1);
  const id =
    typeof data.id === 'string' || (typeof data.id === 'number' && Number.isFinite(data.id)) ? data.id : undefined;
  const refuse = (message: string, problems: Notice[] = []): Received => ({
    kind: 'refuse',
    error: errorMessage(quote(name), message, problems, typeof id === 'string' ? quote(id) : id),
  });

  if (data.version !== undefined && data.version !== PROTOCOL_VERSION)
    return refuse(
      `this widget speaks protocol version ${PROTOCOL_VERSION}; “${quote(describeValue(data.version))}” was sent`,
    );

  switch (name) {
    case 'play':
    case 'pause':
      return { kind: 'command', command: { kind: name } };
    case 'seek': {
      const tick = data.tick;
      if (typeof tick !== 'number' || !Number.isInteger(tick) || tick < 0 || tick > state.ticks)
        return refuse(`seek: tick must be an integer in [0, ${state.ticks}]; “${quote(describeValue(tick))}” was sent`);
      return { kind: 'command', command: { kind: 'seek', tick } };
    }
    case 'preset': {
      const preset = typeof data.name === 'string' ? findPreset(data.name) : undefined;
      if (!preset)
        return refuse(
          `preset: “${quote(describeValue(data.name))}” is not a preset; presets are ${PRESETS.map((p) => p.name).join(', ')}`,
        );
      return { kind: 'command', command: { kind: 'preset', preset } };
    }
    case 'set': {
      const result = applySet(state.params, data.params);
      if (!result.ok) {
        const shown = result.problems.slice(0, MAX_PROBLEMS);
        const more = result.problems.length - shown.length;
        const summary = shown.map((p) => p.message).join('; ') + (more > 0 ? `; and ${more} more` : '');
        return refuse(`set changed nothing: ${summary}`, shown);
      }
      return { kind: 'command', command: { kind: 'set', params: result.params } };
    }
    default:
      return refuse(`unknown command “${quote(name)}”; commands are set, play, pause, seek, preset`);
  }
}

/**
 * `current` with the values of `raw` (an object of parameter keys to numbers or strings), each
 * read through the schema as a link's value is; all or nothing: any value that is not allowed as
 * given (unknown key, not a number, out of range — no clamping) refuses the whole set.
 */
export function applySet(
  current: Params,
  raw: unknown,
): { ok: true; params: Params } | { ok: false; problems: Notice[] } {
  if (!isPlainObject(raw))
    return {
      ok: false,
      problems: [{ key: 'params', message: 'params must be an object of parameter keys to values' }],
    };
  const keys = Object.keys(raw);
  if (keys.length > MAX_SET_KEYS)
    return {
      ok: false,
      problems: [
        { key: 'params', message: `params names ${keys.length} keys; there are ${PARAM_KEYS.length} parameters` },
      ],
    };
  const next = { ...current } as Record<string, number | string>;
  const problems: Notice[] = [];
  for (const key of keys) {
    const spec = paramSpec(key);
    const value = raw[key];
    if (!spec) {
      problems.push({ key: quote(key), message: `unknown parameter “${quote(key)}”` });
      continue;
    }
    const result =
      typeof value === 'number' || typeof value === 'string' ? parseValue(spec, value) : { ok: false as const };
    if (result.ok) next[key] = result.value;
    else
      problems.push({
        key,
        message: `${spec.label} (${key}) must be ${describeRange(spec)}; “${quote(describeValue(value))}” was not applied`,
      });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params: next as Params };
}

export function readyMessage(params: Params, ticks: number): WidgetMessage {
  return { type: 'cascade-lab:ready', version: PROTOCOL_VERSION, params, ticks };
}

export function heightMessage(height: number): WidgetMessage {
  return { type: 'cascade-lab:height', version: PROTOCOL_VERSION, height };
}

export function progressMessage(tick: number, ticks: number): WidgetMessage {
  return { type: 'cascade-lab:progress', version: PROTOCOL_VERSION, tick, ticks };
}

export function doneMessage(summary: Summary, params: Params): WidgetMessage {
  return { type: 'cascade-lab:done', version: PROTOCOL_VERSION, summary, params };
}

export function paramsMessage(params: Params, cause: ParamsCause): WidgetMessage {
  return { type: 'cascade-lab:params', version: PROTOCOL_VERSION, params, cause };
}

export function errorMessage(
  command: string,
  message: string,
  problems: Notice[] = [],
  id?: string | number,
): ErrorMessage {
  const error: ErrorMessage = { type: 'cascade-lab:error', version: PROTOCOL_VERSION, command, message, problems };
  if (id !== undefined) error.id = id;
  return error;
}

/** An object made by a literal or JSON (what structured cloning delivers), not an array, null or a class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Host text as a message shows it: cut short, invisible and reordering characters escaped. */
function quote(s: string): string {
  return visibleInput(s, MAX_QUOTE);
}
