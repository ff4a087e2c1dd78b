/** `cascade-lab presets`: each scenario preset on one line, name then title. */
import { PRESETS } from '../model/presets.ts';
import { UsageError, show } from './args.ts';
import type { CliDeps } from './deps.ts';

export function presetsCommand(args: readonly string[], deps: CliDeps): void {
  if (args.length > 0) throw new UsageError(`unexpected argument ${show(args[0])} for "presets"; it takes none`);
  const width = Math.max(...PRESETS.map((p) => p.name.length));
  deps.stdout(PRESETS.map((p) => `${p.name.padEnd(width)}  ${p.title}\n`).join(''));
}
