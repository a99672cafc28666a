// Where network builders get their weights. Builders ask for a key with the shape they expect; a
// source checks the shape and hands back a lazy reference. Bytes are read only when the model is
// written, one tensor at a time, so compiling the full model never holds the checkpoints in memory.
//
// Implementations: safetensors and torch zip-pickle files (real checkpoints), a seeded random
// source (the demo model), and a shape-only source built from the full-size key manifests (tests).

export interface TensorRef {
  /** Checkpoint key, or a derived name such as `<key>:transposed`. */
  readonly key: string;
  readonly shape: readonly number[];
  /** Reads the values as float32 (fp16/bf16 sources are widened). Called once, at write time. */
  read(): Float32Array;
}

export interface WeightSource {
  /** Human-readable name used in errors: the file path, or "seeded(1234)". */
  readonly name: string;
  has(key: string): boolean;
  shape(key: string): readonly number[] | undefined;
  /**
   * A reference to `key`, after checking it exists with `expectedShape`; marks the key as used.
   * Throws StudioFailure('model_invalid') naming the file and key when missing or mis-shaped.
   */
  take(key: string, expectedShape: readonly number[]): TensorRef;
  keys(): string[];
  /** Keys handed out by take() so far (for the "every key consumed exactly" checks). */
  usedKeys(): ReadonlySet<string>;
}

/** A reference whose values are computed from another one when read (transposes, reshapes). */
export function derivedRef(
  base: TensorRef,
  suffix: string,
  shape: readonly number[],
  transform: (values: Float32Array) => Float32Array,
): TensorRef {
  return { key: `${base.key}:${suffix}`, shape, read: () => transform(base.read()) };
}
