// WeightSource for torch.save zip archives (.bin / .ckpt): `<root>/data.pkl` holds the pickled
// state dict, `<root>/data/<key>` the raw little-endian storages. The root folder is the file
// stem for torch 1.x and `archive` for newer writers, so it is discovered, not assumed.
// Key handling follows MagicAnimate's motion-module loader (animation.py): an optional
// `{'state_dict': ...}` wrapper is unwrapped and a leading `module.` prefix is stripped.
import { StudioFailure } from '../../../shared/result';
import { DTYPE_BYTES, decodeFloats } from './dtypes';
import { unpickle } from './pickle';
import { TensorView, type PickleValue } from './pickleValues';
import type { WeightSource } from './source';
import { TableSource, elementCount, type TensorEntry } from './tableSource';
import { ZipArchive } from './zipArchive';

const invalid = (file: string, message: string, key?: string): StudioFailure =>
  new StudioFailure('model_invalid', `${file}: ${key === undefined ? '' : `tensor "${key}": `}${message}`, { file, key });

function findRoot(zip: ZipArchive): string {
  const pickles = [...zip.entries.keys()].filter((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (pickles.length !== 1) {
    throw invalid(zip.file, `expected one <root>/data.pkl in the archive, found ${pickles.length} (not a torch.save file?)`);
  }
  return pickles[0].slice(0, -'/data.pkl'.length);
}

/** The tensor dict inside the unpickled object: the dict itself, or its 'state_dict'. */
function stateDict(root: PickleValue, file: string): Map<PickleValue, PickleValue> {
  if (!(root instanceof Map)) throw invalid(file, 'the pickled object is not a dict (not a state dict)');
  const inner = root.get('state_dict');
  return inner instanceof Map ? inner : root;
}

const stripModulePrefix = (key: string): string => (key.startsWith('module.') ? key.slice(key.lastIndexOf('module.') + 7) : key);

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i];
  }
  return strides;
}

const isContiguous = (view: TensorView): boolean => {
  const expected = contiguousStrides(view.shape);
  return view.shape.every((d, i) => d === 1 || view.stride[i] === expected[i]);
};

/** Reads a view: one ranged read when contiguous, otherwise a gather over the spanned range. */
function readView(zip: ZipArchive, root: string, view: TensorView): Float32Array {
  const count = elementCount(view.shape);
  const bytes = DTYPE_BYTES[view.storage.dtype];
  const entry = `${root}/data/${view.storage.key}`;
  if (count === 0) return new Float32Array(0);
  const span = 1 + view.shape.reduce((s, d, i) => s + (d - 1) * view.stride[i], 0);
  const values = decodeFloats(zip.read(entry, view.offset * bytes, span * bytes), view.storage.dtype, span);
  if (isContiguous(view)) return values;
  const out = new Float32Array(count);
  const index = new Array<number>(view.shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    out[i] = values[index.reduce((s, v, d) => s + v * view.stride[d], 0)];
    for (let d = view.shape.length - 1; d >= 0 && ++index[d] === view.shape[d]; d--) index[d] = 0;
  }
  return out;
}

function checkView(zip: ZipArchive, root: string, key: string, view: TensorView): void {
  const entry = zip.entries.get(`${root}/data/${view.storage.key}`);
  if (!entry) throw invalid(zip.file, `its storage ${root}/data/${view.storage.key} is missing from the archive`, key);
  if (view.stride.some((s) => s < 0) || view.offset < 0) throw invalid(zip.file, 'negative strides or offset', key);
  const span = elementCount(view.shape) === 0 ? 0 : 1 + view.shape.reduce((s, d, i) => s + (d - 1) * view.stride[i], 0);
  const needed = (view.offset + span) * DTYPE_BYTES[view.storage.dtype];
  if (needed > entry.size) throw invalid(zip.file, `needs ${needed} bytes of its storage, which holds ${entry.size}`, key);
}

/** Opens a torch zip checkpoint; the pickle is parsed now, tensor bytes are read on demand. */
export function openTorchZip(file: string): WeightSource {
  const zip = ZipArchive.open(file);
  const root = findRoot(zip);
  const dict = stateDict(unpickle(zip.read(`${root}/data.pkl`), file), file);
  const table = new Map<string, TensorEntry>();
  for (const [rawKey, value] of dict) {
    if (!(value instanceof TensorView)) continue; // non-tensor entries (e.g. 'global_step') are not weights
    if (typeof rawKey !== 'string') throw invalid(file, `state dict key ${String(rawKey)} is not a string`);
    const key = stripModulePrefix(rawKey);
    checkView(zip, root, key, value);
    if (table.has(key)) throw invalid(file, 'appears twice after stripping the "module." prefix', key);
    table.set(key, { shape: value.shape, read: () => readView(zip, root, value) });
  }
  return new TableSource(file, table);
}
