/**
 * The stress map as a file: its grid as CSV, one row a value of the parameter swept up (top row
 * first, as the map reads), one column a value of the parameter swept across, each cell the
 * feedback multiplier of its run — or the mean over its seeds, or the probability of a cascade
 * (empty until a run of it has ended), under a `# ` preamble naming
 * both axes, the base run's parameters and the link that opens the same setup.
 */
import { paramSpec } from '../../model/schema.ts';
import { cellIndex, sweepSize, type Sweep } from '../../model/sweep.ts';

/** What each cell holds, in words. */
function what(sweep: Sweep): string {
  const seeds = sweep.seeds.length === 1 ? `seed ${sweep.seeds[0]}` : `seeds ${sweep.seeds.join(' ')}`;
  return sweep.metric === 'cascade'
    ? `the probability of a cascade (a fall beyond ${sweep.cascadeDrawdown}) per cell over ${seeds}`
    : sweep.seeds.length === 1
      ? `the feedback multiplier of one whole run per cell (${seeds})`
      : `the mean feedback multiplier per cell over ${seeds}`;
}

export function sweepCsv(sweep: Sweep, link?: string): string {
  const label = (key: string): string => `${key} (${paramSpec(key)?.label ?? key})`;
  const lines = [
    `# Cascade Lab stress map: ${what(sweep)}, ${sweep.done} of ${sweepSize(sweep)} runs ${sweep.status === 'done' ? 'done' : `done (${sweep.status})`}.`,
    `# rows: ${label(sweep.yKey)}, top to bottom; columns: ${label(sweep.xKey)}, left to right; every other parameter as in params.`,
    `# params: ${JSON.stringify(sweep.base)}`,
    ...(link ? [`# link: ${link}`] : []),
    [`${sweep.yKey} \\ ${sweep.xKey}`, ...sweep.xs].join(','),
  ];
  for (let j = sweep.ys.length - 1; j >= 0; j--) {
    const cells = sweep.xs.map((_, i) => {
      const m = sweep.results[cellIndex(sweep, i, j)];
      return Number.isFinite(m) ? String(m) : '';
    });
    lines.push([sweep.ys[j], ...cells].join(','));
  }
  return `${lines.join('\n')}\n`;
}
