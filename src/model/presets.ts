/**
 * Scenario presets: named starting points for the page and `cascade-lab run --preset NAME`.
 * A preset sets only the parameters its story is about; everything else stays at its default.
 */
import type { Params } from './schema.ts';

export interface Preset {
  name: string;
  /** One line, shown in `cascade-lab presets` and the page's preset menu. */
  title: string;
  story: string;
  params: Partial<Params>;
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'calm',
    title: 'Dealers long gamma, little leverage: the shock is absorbed',
    story: 'Dealers are long gamma and buy the dip they hedge; few accounts sit near liquidation. The shock moves the price about as far as it would on its own.',
    params: { gex: 0.8, leverage: 3, shock: 0.03 },
  },
  {
    name: 'squeeze',
    title: 'Dealers short gamma: hedging sells into the fall',
    story: 'Dealers are short gamma, so every tick down makes them sell more. Leverage is modest; the gamma loop alone amplifies the shock.',
    params: { gex: -1, leverage: 5 },
  },
  {
    name: 'cascade',
    title: 'Short gamma, 25× leverage, instant liquidations: a cascade',
    story: 'Dealers short gamma and highly levered longs liquidated all at once: each loop feeds the other and a 5% shock becomes a crash.',
    params: { gex: -1, leverage: 25, liqSpeed: 1, shock: 0.05 },
  },
];
