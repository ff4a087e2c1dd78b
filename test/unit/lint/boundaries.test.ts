/**
 * The direction of imports between the folders of src/ is a lint rule (eslint.config.js): these
 * tests lint one-line files placed, in name only, in each folder, and expect a wrong import to
 * fail and a right one to pass, so the rule cannot quietly stop matching.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The messages of the import-direction rules for `code` as if it were the file at `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax' || m.fatal)
    .map((m) => m.message);
}

const svelte = (imports: string): string => `<script lang="ts">\n  ${imports}\n  console.log(x);\n</script>\n`;

describe('imports go one way: model ← sim ← ui, state on model, cli on top', () => {
  it.each([
    ['src/model/probe.ts', "import { x } from '../sim/wasm.ts';"],
    ['src/model/probe.ts', "import { x } from '../ui/format.ts';"],
    ['src/model/probe.ts', "import { x } from '../cli/args.ts';"],
    ['src/model/probe.ts', "import { x } from '../state/url.ts';"],
    ['src/model/reference/probe.ts', "import { x } from '../../sim/wasm.ts';"],
    ['src/model/probe.ts', "export const load = () => import('../sim/wasm-node.ts');"],
    ['src/state/probe.ts', "import { x } from '../ui/real-data.ts';"],
    ['src/sim/probe.ts', "import { x } from '../ui/format.ts';"],
    ['src/sim/probe.ts', "import { x } from '../state/location.ts';"],
    ['src/ui/probe.ts', "import { x } from '../cli/args.ts';"],
    ['src/ui/charts/Probe.svelte', svelte("import { x } from '../../cli/args.ts';")],
    ['src/ui/probe.ts', "import { x } from '../sim/wasm-engine.ts';"],
    ['src/ui/probe.ts', "import type { x } from '../sim/worker.ts';"],
    ['src/cli/probe.ts', "import { x } from '../ui/export.ts';"],
    ['src/ui/probe.ts', "import { x } from '../../assembly/index.ts';"],
    ['src/embed/probe.ts', "import { x } from '../cli/args.ts';"],
    ['src/embed/probe.ts', "import { x } from '../sim/wasm-engine.ts';"],
  ])('%s: %s fails lint', async (path, code) => {
    const errors = await boundaryErrors(path, `${code}\nconsole.log(x);\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/CONTRIBUTING\.md/);
  });

  it.each([
    ['src/sim/probe.ts', "import { x } from '../model/schema.ts';"],
    ['src/state/probe.ts', "import { x } from '../model/chains.ts';"],
    ['src/ui/probe.ts', "import { x } from '../sim/client.ts';"],
    ['src/ui/probe.ts', "import type { x } from '../sim/frames.ts';"],
    ['src/ui/probe.ts', "import { x } from '../state/location.ts';"],
    ['src/ui/charts/Probe.svelte', svelte("import { x } from '../../model/report.ts';")],
    ['src/cli/probe.ts', "import { x } from '../sim/wasm-node.ts';"],
    ['src/cli/probe.ts', "import { x } from '../state/url.ts';"],
    ['test/unit/probe.ts', "import { x } from '../../src/ui/export.ts';"],
    ['src/embed/probe.ts', "import { x } from '../ui/run.svelte.ts';"],
    ['src/embed/probe.ts', "import { x } from '../sim/client.ts';"],
  ])('%s: %s passes', async (path, code) => {
    expect(await boundaryErrors(path, `${code}\nconsole.log(x);\n`)).toEqual([]);
  });
});
