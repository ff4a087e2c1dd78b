/**
 * `npm run fidelity`: every claim of test/fidelity/claims.ts over FIDELITY_SEEDS, as one
 * Markdown table (claim, measured figures, seeds on which it holds, pass/fail), the table the
 * README's "What it reproduces" quotes. Exits 1 if any claim fails.
 */
import { CLAIMS, FIDELITY_SEEDS, Runs, checkClaims, describeFigures, scenarioRows } from './claims.ts';

/** `--seeds A-B` checks other seeds than the report's own (e.g. seeds nobody tuned on). */
function seedsFromArgs(): readonly number[] {
  const i = process.argv.indexOf('--seeds');
  if (i < 0) return FIDELITY_SEEDS;
  const match = /^(\d+)-(\d+)$/.exec(process.argv[i + 1] ?? '');
  if (!match || Number(match[2]) < Number(match[1])) throw new Error('--seeds takes a range A-B of integers, A ≤ B');
  return Array.from({ length: Number(match[2]) - Number(match[1]) + 1 }, (_, k) => Number(match[1]) + k);
}

const seeds = seedsFromArgs();
const started = performance.now();
const runs = await Runs.create();
const results = checkClaims(runs, seeds, CLAIMS);
const lines = [
  `Seeds ${seeds[0]}–${seeds.at(-1)} (none of them a preset's); figures are median [min, max] over the seeds.`,
  '',
  '| claim | measured | holds on | result |',
  '|---|---|---|---|',
  ...results.map(
    ({ claim, verdicts, held, needed, pass }) =>
      `| ${claim.text} | ${claim.figure}: ${describeFigures(verdicts)} | ${held}/${verdicts.length} (needs ${needed}) | ${pass ? 'pass' : '**FAIL**'} |`,
  ),
];
console.log(lines.join('\n'));
console.log(
  [
    '',
    '| preset | simulated fall | simulated minutes to the trough | multiplier | real fall | real minutes to the trough |',
    '|---|---|---|---|---|---|',
    ...scenarioRows(runs, seeds),
  ].join('\n'),
);
const failed = results.filter((r) => !r.pass);
console.log(
  `\n${results.length - failed.length} of ${results.length} claims pass, in ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
if (failed.length > 0) {
  console.log(`Failing: ${failed.map((r) => r.claim.id).join(', ')}`);
  process.exitCode = 1;
}
