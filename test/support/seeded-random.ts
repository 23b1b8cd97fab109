import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Doubles in [0, 1) from a seeded pure-rand generator: the same seed, the same sequence, so a run can be replayed. */
export function seededRandom(seed: number): () => number {
  const generator = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(generator);
}
