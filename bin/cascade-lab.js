#!/usr/bin/env node
/**
 * The `cascade-lab` command. The CLI is TypeScript run through tsx (a runtime dependency), so it
 * shares the schema, engines and loader with the page without a build step of its own.
 * `main` turns every failure into one line and an exit status; this file only guards what runs
 * before it (loading the TypeScript) and after it (standard output closing early).
 */
import { register } from 'tsx/esm/api';

register();

process.stdout.on('error', (error) => {
  // `cascade-lab run | head` closes the pipe early: the reader's choice, not a failure.
  if (error.code !== 'EPIPE') process.stderr.write(`cascade-lab: cannot write to standard output: ${error.message}\n`);
  process.exit(error.code === 'EPIPE' ? 0 : 1);
});

try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`cascade-lab: internal error: ${String(error?.message ?? error).split('\n')[0]}\n`);
  process.exitCode = 1;
}
