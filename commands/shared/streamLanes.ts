/**
 * Per-stream lanes: the writes of one process to the same stream take turns
 * instead of all reading, conflicting and retrying (a hot slot). A lane is
 * only a queue inside this process; other processes still meet the expected
 * revision check, so correctness never depends on it.
 */
export interface StreamLanes {
  /**
   * Waits for the lanes of `streams` (taken in sorted order, so overlapping
   * writes cannot deadlock). `waited` tells whether another write went first:
   * what was read before may be stale and should be read again.
   */
  acquire(streams: readonly string[]): Promise<{ readonly waited: boolean; release(): void }>;
}

export const createStreamLanes = (): StreamLanes => {
  const tails = new Map<string, Promise<void>>();
  return {
    async acquire(streams) {
      const releases: (() => void)[] = [];
      const mine: [string, Promise<void>][] = [];
      let waited = false;
      for (const stream of [...new Set(streams)].sort()) {
        const before = tails.get(stream);
        let release!: () => void;
        const turn = new Promise<void>((resolve) => {
          release = resolve;
        });
        tails.set(stream, turn);
        releases.push(release);
        mine.push([stream, turn]);
        if (before !== undefined) {
          waited = true;
          await before;
        }
      }
      return {
        waited,
        release() {
          for (const [stream, turn] of mine) if (tails.get(stream) === turn) tails.delete(stream);
          for (const release of releases) release();
        },
      };
    },
  };
};
