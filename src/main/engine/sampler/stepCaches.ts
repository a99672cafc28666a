// Short-lived state of the sampling loop, held only while some window still needs it:
// - the appearance bank of a step (made once per step, shared by every window of that step);
// - a frame's ControlNet residuals at a step (the net is 2D, so they do not depend on the
//   window; made when the first window covering the frame runs that step, dropped after the last).

/** Values made on first use and dropped after a known number of uses. */
export class CountedCache<K, V> {
  private readonly entries = new Map<K, { value: V; usesLeft: number }>();
  private peakSize = 0;

  constructor(private readonly onDrop: (value: V) => void = () => {}) {}

  get size(): number {
    return this.entries.size;
  }

  /** The most entries held at once so far. */
  get peak(): number {
    return this.peakSize;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  get(key: K): V {
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`CountedCache: no entry for ${String(key)}`);
    return entry.value;
  }

  /** Store a value that will be used `uses` times. */
  put(key: K, value: V, uses: number): void {
    this.entries.set(key, { value, usesLeft: uses });
    this.peakSize = Math.max(this.peakSize, this.entries.size);
  }

  /** One use done; the value is dropped (and released) after its last use. */
  used(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`CountedCache: used ${String(key)} twice too often`);
    entry.usesLeft--;
    if (entry.usesLeft <= 0) {
      this.entries.delete(key);
      this.onDrop(entry.value);
    }
  }

  /** Drop everything (on abort or error), releasing each value. */
  clear(): void {
    for (const entry of this.entries.values()) this.onDrop(entry.value);
    this.entries.clear();
  }
}

/** Key of a (frame, step) pair. */
export const frameStepKey = (frame: number, step: number): string => `${frame}@${step}`;
