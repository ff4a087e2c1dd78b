/**
 * The short version of `npm run fidelity`: every claim of test/fidelity/claims.ts on the first
 * five of its seeds, holding on as many of them as the claim asks of ten (rounded up: a claim
 * required on 8 of 10 seeds must hold on 4 of these 5, one required on 10 of 10 on all 5).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, FIDELITY_SEEDS, Runs, checkClaims, describeFigures } from '../../fidelity/claims.ts';

const SEEDS = FIDELITY_SEEDS.slice(0, 5);

let runs: Runs;
beforeAll(async () => {
  runs = await Runs.create();
});

describe(`the model's claims on seeds ${SEEDS.join(', ')}`, () => {
  it.each(CLAIMS.map((claim) => [claim.id, claim] as const))('%s', (_, claim) => {
    const [result] = checkClaims(runs, SEEDS, [claim]);
    const held = result.verdicts.map((v, i) => `${SEEDS[i]}:${v.holds ? 'holds' : 'fails'}`).join(' ');
    console.log(`${claim.id}: ${claim.figure} ${describeFigures(result.verdicts)} — ${held}`);
    expect(result.held, `${claim.text} (${held})`).toBeGreaterThanOrEqual(result.needed);
  });
});
