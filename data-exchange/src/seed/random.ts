import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded source of random values; never `Math.random`, so the demo data is reproducible. */
export interface Random {
  /** A whole number in `[min, max]`. */
  int(min: number, max: number): number;
  /** A number in `[min, max)`. */
  between(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One of `items`, with optional relative weights. */
  pick<T>(items: readonly T[], weights?: readonly number[]): T;
}

const FLOAT_STEPS = 0x40000000;

/**
 * A generator for one piece of data, named by `key` (for example a credit code and a month).
 * Each piece draws from its own stream, so one month's figures do not depend on how many values
 * earlier months consumed, nor on the anchor date: moving the anchor keeps the months both
 * windows share identical.
 */
export function randomFor(seed: number, ...key: ReadonlyArray<string | number>): Random {
  const digest = createHash('sha256')
    .update([seed, ...key].join('|'))
    .digest();
  const rng = xoroshiro128plus(digest.readInt32BE(0));
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const unit = () => int(0, FLOAT_STEPS - 1) / FLOAT_STEPS;
  return {
    int,
    between: (min, max) => min + unit() * (max - min),
    chance: (p) => unit() < p,
    pick<T>(items: readonly T[], weights?: readonly number[]): T {
      if (items.length === 0) throw new Error('nothing to pick from');
      if (!weights) return items[int(0, items.length - 1)]!;
      const total = weights.reduce((sum, w) => sum + w, 0);
      let point = unit() * total;
      for (let i = 0; i < items.length; i++) {
        point -= weights[i] ?? 0;
        if (point < 0) return items[i]!;
      }
      return items[items.length - 1]!;
    },
  };
}
