/** The extra scorers `analyze` runs by default after the cheap analyses, in order. */
import type { Scorer } from './scorer';

export async function defaultScorers(): Promise<Scorer[]> {
  return [];
}
