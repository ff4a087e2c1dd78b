/**
 * The `cascade-lab` command line: dispatches to one module per command and turns every failure
 * into one line on stderr. Exit status 0 on success, 2 for bad input (the line names the flag and
 * what it must be), 1 for anything else; never a stack trace.
 */
import { ParamError } from '../model/validate.ts';
import { UsageError, show } from './args.ts';
import { attributeCommand } from './attribute.ts';
import { nodeDeps, type CliDeps } from './deps.ts';
import { ensembleCommand } from './ensemble.ts';
import { greeksCommand } from './greeks.ts';
import { usage } from './help.ts';
import { presetsCommand } from './presets.ts';
import { runCommand } from './run.ts';
import { sweepCommand } from './sweep.ts';
import { workerCommand } from './worker.ts';

const COMMANDS: Record<string, (args: readonly string[], deps: CliDeps) => void | Promise<void>> = {
  run: runCommand,
  greeks: greeksCommand,
  presets: presetsCommand,
  ensemble: ensembleCommand,
  attribute: attributeCommand,
  sweep: sweepCommand,
  worker: (args, deps) => workerCommand(args, deps),
};

const HELP = new Set(['help', '--help', '-h']);

/** Runs one command line (without `node` and the script) and returns the exit status. */
export async function main(argv: readonly string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const io: CliDeps = { ...nodeDeps, ...deps };
  const [command, ...args] = argv;
  try {
    if (command === undefined || HELP.has(command) || args.includes('--help')) {
      io.stdout(usage());
      return 0;
    }
    const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!handler)
      throw new UsageError(
        `unknown command ${show(command)}; commands: ${Object.keys(COMMANDS).join(', ')} (see cascade-lab --help)`,
      );
    await handler(args, io);
    return 0;
  } catch (error) {
    const bad = error instanceof UsageError || error instanceof ParamError;
    io.stderr(`cascade-lab: ${oneLine(error)}\n`);
    return bad ? 2 : 1;
  }
}

/** Longest error line printed: every message is far shorter; this only guards against one that echoes a blob. */
export const MAX_ERROR_CHARS = 600;

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s*[\n\r\u2028\u2029]\s*/g, ' ').trim() || 'unexpected error';
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS)}…` : line;
}
