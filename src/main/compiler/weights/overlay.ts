// Combining and instrumenting weight sources.
//
// unet3dSource: the UNet3D's weights as MagicAnimate's loader ends up with them (animation.py):
// SD1.5's unet .bin is loaded first, then temporal_attention.ckpt with load_state_dict(strict=False),
// so every key the ckpt holds wins. The real ckpt is the FULL UNet3D state dict, so in practice all
// weights come from it and the .bin has no influence; a motion-only ckpt (optionally with `unet.`
// prefixes, the loader's fallback path) falls back to the .bin for the spatial keys.
import { StudioFailure } from '../../../shared/result';
import type { TensorRef, WeightSource } from './source';
import { TableSource, type TensorEntry } from './tableSource';

/** A view of `source` with keys renamed by `rename` (null drops a key). */
export function renamedSource(source: WeightSource, rename: (key: string) => string | null): WeightSource {
  const table = new Map<string, TensorEntry>();
  for (const original of source.keys()) {
    const key = rename(original);
    if (key === null) continue;
    const shape = source.shape(original) ?? [];
    table.set(key, { shape, read: () => source.take(original, shape).read() });
  }
  return new TableSource(source.name, table);
}

/** Keys from `primary` win; the rest come from `fallback`. Errors name the file a key came from. */
export function overlaySource(primary: WeightSource, fallback: WeightSource): WeightSource {
  const used = new Set<string>();
  const owner = (key: string): WeightSource | undefined => (primary.has(key) ? primary : fallback.has(key) ? fallback : undefined);
  return {
    name: `${primary.name} over ${fallback.name}`,
    has: (key) => owner(key) !== undefined,
    shape: (key) => owner(key)?.shape(key),
    take(key, expectedShape) {
      const ref = (owner(key) ?? primary).take(key, expectedShape); // primary's error names the ckpt
      used.add(key);
      return ref;
    },
    keys: () => [...new Set([...primary.keys(), ...fallback.keys()])],
    usedKeys: () => used,
  };
}

const MOTION = '.motion_modules.';

/**
 * The UNet3D source from the SD1.5 unet checkpoint and temporal_attention.ckpt (see above);
 * `sd15Unet` null: the ckpt alone, for a full ckpt when the SD1.5 unet file is absent or not needed.
 */
export function unet3dSource(sd15Unet: WeightSource | null, temporalCkpt: WeightSource): WeightSource {
  const ckptKeys = temporalCkpt.keys();
  if (!ckptKeys.some((k) => k.includes(MOTION))) {
    throw new StudioFailure('model_invalid', `${temporalCkpt.name}: holds no motion_modules weights; is this MagicAnimate's temporal_attention.ckpt?`, {
      file: temporalCkpt.name,
    });
  }
  const prefixed = ckptKeys.some((k) => k.startsWith('unet.') && k.includes(MOTION));
  // The loader's fallback keeps only motion keys and strips `unet.`; a plain full dict is used as is.
  const ckpt = prefixed
    ? renamedSource(temporalCkpt, (k) => (k.includes(MOTION) ? k.replace(/^unet\./, '') : null))
    : temporalCkpt;
  return sd15Unet ? overlaySource(ckpt, sd15Unet) : ckpt;
}

export interface ReadEvent {
  key: string;
  index: number;
}

/**
 * Wraps a source so each tensor read is reported (progress) and can be cancelled: `beforeRead`
 * may throw (e.g. signal.throwIfAborted()) to stop writing at the next tensor.
 */
export function instrumentedSource(source: WeightSource, onRead: (event: ReadEvent) => void, beforeRead?: () => void): WeightSource {
  let reads = 0;
  const wrap = (ref: TensorRef): TensorRef => ({
    key: ref.key,
    shape: ref.shape,
    read: () => {
      beforeRead?.();
      const values = ref.read();
      onRead({ key: ref.key, index: reads++ });
      return values;
    },
  });
  return {
    name: source.name,
    has: (key) => source.has(key),
    shape: (key) => source.shape(key),
    take: (key, shape) => wrap(source.take(key, shape)),
    keys: () => source.keys(),
    usedKeys: () => source.usedKeys(),
  };
}
