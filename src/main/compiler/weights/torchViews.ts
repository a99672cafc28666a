// What both torch.save formats (zip and legacy) share once their pickle is parsed: finding the
// state dict inside the unpickled object and turning each tensor view into a checked, lazily-read
// table entry. Key handling follows MagicAnimate's motion-module loader (animation.py): an optional
// `{'state_dict': ...}` wrapper is unwrapped and a leading `module.` prefix is stripped.
//
// A view is untrusted: its shape, strides and offset must address only bytes its storage holds,
// no two elements may share a storage element (a stride of 0 would let 4 bytes back any shape),
// and the storage's declared element count must match the bytes the file holds for it.
import { StudioFailure } from '../../../shared/result';
import { DTYPE_BYTES, decodeFloats } from './dtypes';
import { TensorView, type PickleValue } from './pickleValues';
import { elementCount, formatShape, type TensorEntry } from './tableSource';

/** A state dict's pickle is ~100 KB for the 5 GB UNet3D; anything this large is not one. */
export const MAX_PICKLE_BYTES = 64 * 1024 * 1024;

/** A non-contiguous view may span at most this many times its element count (transposes span 1×). */
const MAX_SPAN_PER_ELEMENT = 4;

export const torchInvalid = (file: string, message: string, key?: string): StudioFailure =>
  new StudioFailure('model_invalid', `${file}: ${key === undefined ? '' : `tensor "${key}": `}${message}`, { file, key });

/** The tensor dict inside the unpickled object: the dict itself, or its 'state_dict'. */
function stateDict(root: PickleValue, file: string): Map<PickleValue, PickleValue> {
  if (!(root instanceof Map)) throw torchInvalid(file, 'the pickled object is not a dict (not a state dict)');
  const inner = root.get('state_dict');
  return inner instanceof Map ? inner : root;
}

const stripModulePrefix = (key: string): string => (key.startsWith('module.') ? key.slice(key.lastIndexOf('module.') + 7) : key);

/** The state dict's tensors by key (non-tensor entries such as 'global_step' are not weights). */
export function stateDictViews(root: PickleValue, file: string): Map<string, TensorView> {
  const views = new Map<string, TensorView>();
  for (const [rawKey, value] of stateDict(root, file)) {
    if (!(value instanceof TensorView)) continue;
    if (typeof rawKey !== 'string') throw torchInvalid(file, `state dict key ${String(rawKey)} is not a string`);
    const key = stripModulePrefix(rawKey);
    if (views.has(key)) throw torchInvalid(file, 'appears twice after stripping the "module." prefix', key);
    views.set(key, value);
  }
  return views;
}

/** Elements from the view's first to its last storage element (0 for an empty tensor). */
function viewSpan(view: TensorView): number {
  if (elementCount(view.shape) === 0) return 0;
  return 1 + view.shape.reduce((s, d, i) => s + (d - 1) * view.stride[i], 0);
}

const isContiguous = (view: TensorView): boolean => {
  let step = 1;
  for (let i = view.shape.length - 1; i >= 0; i--) {
    if (view.shape[i] !== 1 && view.stride[i] !== step) return false;
    step *= view.shape[i];
  }
  return true;
};

/** True when no two indices of the view address the same storage element. */
function isNonOverlapping(view: TensorView): boolean {
  const dims = view.shape.map((size, i) => ({ size, stride: view.stride[i] })).filter((d) => d.size > 1);
  dims.sort((a, b) => a.stride - b.stride);
  let reach = 0; // the largest offset the dims so far can add
  for (const { size, stride } of dims) {
    if (stride <= reach) return false;
    reach += (size - 1) * stride;
  }
  return true;
}

/**
 * Refuses a view that is not a plain tensor over its storage. `storageBytes` is what the file
 * holds for the storage, which must equal the element count the pickle declared for it.
 */
export function checkView(file: string, key: string, view: TensorView, storageBytes: number): void {
  const { shape, stride, offset, storage } = view;
  const bytes = DTYPE_BYTES[storage.dtype];
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw torchInvalid(file, `impossible shape ${formatShape(shape)}`, key);
  if (!Number.isSafeInteger(elementCount(shape))) throw torchInvalid(file, `shape ${formatShape(shape)} is too large`, key);
  if (!stride.every((s) => Number.isSafeInteger(s) && s >= 0) || !Number.isSafeInteger(offset) || offset < 0) {
    throw torchInvalid(file, 'negative or impossible strides or offset', key);
  }
  if (!isNonOverlapping(view)) {
    throw torchInvalid(file, `strides [${stride.join(', ')}] make elements overlap (a stride-0 or overlapping view is not a plain tensor)`, key);
  }
  const needed = (offset + viewSpan(view)) * bytes;
  if (needed > storageBytes) throw torchInvalid(file, `needs ${needed} bytes of its storage, which holds ${storageBytes}`, key);
  if (storage.numel * bytes !== storageBytes) {
    throw torchInvalid(file, `its storage ${storage.key} declares ${storage.numel} elements (${storage.numel * bytes} bytes) but holds ${storageBytes} bytes`, key);
  }
  if (!isContiguous(view) && viewSpan(view) > MAX_SPAN_PER_ELEMENT * elementCount(shape) + 64) {
    throw torchInvalid(file, `a sparse view (spans ${viewSpan(view)} elements for ${elementCount(shape)}) is not supported`, key);
  }
}

/** Reads a checked view: one ranged read when contiguous, otherwise a gather over the spanned range. */
function readView(view: TensorView, readStorage: (byteOffset: number, byteLength: number) => Buffer): Float32Array {
  const count = elementCount(view.shape);
  if (count === 0) return new Float32Array(0);
  const bytes = DTYPE_BYTES[view.storage.dtype];
  const span = viewSpan(view);
  const values = decodeFloats(readStorage(view.offset * bytes, span * bytes), view.storage.dtype, span);
  if (isContiguous(view)) return values;
  const out = new Float32Array(count);
  const index = new Array<number>(view.shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    out[i] = values[index.reduce((s, v, d) => s + v * view.stride[d], 0)];
    for (let d = view.shape.length - 1; d >= 0 && ++index[d] === view.shape[d]; d--) index[d] = 0;
  }
  return out;
}

/** Where a storage's bytes are: its size in the file and a ranged reader. */
export interface StorageBytes {
  size: number;
  read(byteOffset: number, byteLength: number): Buffer;
}

/** Checks every view against its storage now; each entry reads its bytes only when read. */
export function viewTable(
  file: string,
  views: ReadonlyMap<string, TensorView>,
  storageOf: (key: string, view: TensorView) => StorageBytes,
): Map<string, TensorEntry> {
  const table = new Map<string, TensorEntry>();
  for (const [key, view] of views) {
    const storage = storageOf(key, view);
    checkView(file, key, view, storage.size);
    table.set(key, { shape: view.shape, read: () => readView(view, storage.read) });
  }
  return table;
}
