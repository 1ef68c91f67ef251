import type { ArtifactKey, Artifacts } from './artifacts';

/** Gathers plain data (never verdicts). Runs once its `needs` are settled; may run concurrently with others. */
export interface Collector {
  name: string;
  provides: ArtifactKey[];
  needs: ArtifactKey[];
  /** Returns the artifacts it provides (a key left undefined means "nothing to look at"). May also refine `target`. */
  run: (a: Artifacts) => Promise<Partial<Artifacts>>;
}
