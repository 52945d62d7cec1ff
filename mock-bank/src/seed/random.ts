import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The seed data's only source of randomness: a seeded PRNG with the draws the generator needs.
 * Everything is drawn in a fixed order, so the same seed yields the same data.
 */
export class SeededRandom {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    // The generator takes a 32-bit integer; the config keeps seeds in 0..2^32-1.
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** A float in [0, 1) with 30 bits of resolution, plenty for simulation odds. */
  float(): number {
    return uniformInt(this.rng, 0, 0x3fff_ffff) / 0x4000_0000;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One element, chosen with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.float() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /**
   * An amount in minor units between `minMajor` and `maxMajor`, skewed towards the low end the
   * way everyday spending is (many small amounts, a few large ones).
   */
  amount(minMajor: number, maxMajor: number): number {
    const logMin = Math.log(minMajor);
    const logMax = Math.log(maxMajor);
    const major = Math.exp(logMin + this.float() * (logMax - logMin));
    return Math.round(major * 100);
  }

  /** How many events happen in one period when `mean` happen on average (Poisson). */
  count(mean: number): number {
    // Knuth's method: fine for the small means of a day's activity.
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.float();
    while (product > limit) {
      k += 1;
      product *= this.float();
    }
    return k;
  }

  /** `length` bytes, for password salts that must follow the seed too. */
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(0, 255);
    return out;
  }

  /** A string of `length` decimal digits. */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += String(this.int(0, 9));
    return out;
  }
}
