// A WeightSource over a fixed table of lazily-read tensors. Every reader (safetensors, torch zip,
// seeded, shape-only) describes its tensors as entries and lets this class do the bookkeeping:
// shape checks, the "used keys" set and errors that name the file and the key.
import { StudioFailure } from '../../../shared/result';
import type { TensorRef, WeightSource } from './source';

export interface TensorEntry {
  readonly shape: readonly number[];
  read(): Float32Array;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

export const elementCount = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

export class TableSource implements WeightSource {
  private readonly used = new Set<string>();

  constructor(
    readonly name: string,
    private readonly entries: ReadonlyMap<string, TensorEntry>,
  ) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  shape(key: string): readonly number[] | undefined {
    return this.entries.get(key)?.shape;
  }

  take(key: string, expectedShape: readonly number[]): TensorRef {
    const entry = this.entries.get(key);
    if (!entry) {
      throw new StudioFailure('model_invalid', `${this.name}: missing weight "${key}" (expected shape ${formatShape(expectedShape)})`, {
        file: this.name,
        key,
      });
    }
    if (!sameShape(entry.shape, expectedShape)) {
      throw new StudioFailure(
        'model_invalid',
        `${this.name}: weight "${key}" has shape ${formatShape(entry.shape)}, expected ${formatShape(expectedShape)}`,
        { file: this.name, key, shape: entry.shape, expectedShape },
      );
    }
    this.used.add(key);
    return { key, shape: entry.shape, read: () => entry.read() };
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  usedKeys(): ReadonlySet<string> {
    return this.used;
  }
}
