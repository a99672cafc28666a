// Reads detectron2 model-zoo checkpoints (`model_final_*.pkl`): a plain pickle of
// {"model": OrderedDict[name -> numpy.ndarray], "__author__": str}, as DetectionCheckpointer loads it
// with pickle.load(f, encoding="latin1"). The safe reader in compiler/weights/pickle.ts does the
// opcodes; this module adds only the numpy globals such a file needs, as a PickleExtension:
//   protocol 2-4: numpy.core.multiarray._reconstruct(ndarray, (0,), b'b') then BUILD with
//                 (version, shape, dtype, is_fortran, bytes); protocol 2 stores the bytes as
//                 _codecs.encode(str, 'latin1');
//   protocol 5:   numpy.core.numeric._frombuffer(buffer, dtype, shape, order);
//   numpy >= 2 writes numpy._core.* instead of numpy.core.* (both accepted);
//   numpy.dtype('f4', False, True) then BUILD with (3, '<', ...) for the byte order.
import { readFileSync, statSync } from 'node:fs';
import { StudioFailure } from '../../shared/result';
import { DTYPE_BYTES, decodeFloats, type Dtype } from '../compiler/weights/dtypes';
import { unpickle } from '../compiler/weights/pickle';
import {
  PickleGlobal, PickleObject, PickleTuple, type PickleExtension, type PickleValue,
} from '../compiler/weights/pickleValues';
import type { WeightSource } from '../compiler/weights/source';
import { TableSource, elementCount, formatShape, type TensorEntry } from '../compiler/weights/tableSource';

/** numpy dtype strings (`dtype.str` without the byte order) → element type. */
const NUMPY_DTYPES: Readonly<Record<string, Dtype>> = {
  f2: 'F16', f4: 'F32', f8: 'F64', i1: 'I8', i2: 'I16', i4: 'I32', i8: 'I64', u1: 'U8', b1: 'BOOL',
};

export class NumpyDtype extends PickleObject {
  byteOrder = '=';
  constructor(readonly dtype: Dtype, readonly code: string) {
    super();
  }
}

export class NumpyArray extends PickleObject {
  constructor(
    readonly dtype: NumpyDtype | null,
    readonly shape: number[],
    readonly data: Uint8Array,
  ) {
    super();
  }
}

const RECONSTRUCT = ['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct'];
const FROMBUFFER = ['numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer'];

const shapeOf = (value: PickleValue): number[] | undefined =>
  value instanceof PickleTuple && value.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
    ? (value.items as number[])
    : undefined;

function arrayOf(dtype: PickleValue, shape: number[] | undefined, data: PickleValue, fail: (m: string) => Error): NumpyArray {
  if (!(dtype instanceof NumpyDtype)) throw fail('numpy array without a dtype');
  if (!shape) throw fail('numpy array with a malformed shape');
  if (dtype.byteOrder === '>') throw fail(`big-endian numpy arrays (${dtype.code}) are not supported`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  if (!(bytes instanceof Uint8Array)) throw fail('numpy array data is not bytes');
  const expected = elementCount(shape) * DTYPE_BYTES[dtype.dtype];
  if (bytes.length !== expected) {
    throw fail(`numpy array ${formatShape(shape)} ${dtype.code} holds ${bytes.length} bytes, expected ${expected}`);
  }
  return new NumpyArray(dtype, shape, bytes);
}

export const NUMPY_PICKLE: PickleExtension = {
  globals: new Set([...RECONSTRUCT, ...FROMBUFFER, 'numpy.ndarray', 'numpy.dtype', '_codecs.encode']),
  reduce(callable: PickleGlobal, args: PickleValue, fail: (m: string) => Error): PickleValue {
    if (!(args instanceof PickleTuple)) throw fail(`REDUCE arguments for ${callable.qualified} are not a tuple`);
    const a = args.items;
    const name = callable.qualified;
    if (name === '_codecs.encode') {
      // Only the latin1 round trip numpy uses for bytes in protocol 2 (any other call is refused).
      if (typeof a[0] !== 'string' || a[1] !== 'latin1') throw fail('refusing _codecs.encode other than (str, "latin1")');
      return Buffer.from(a[0], 'latin1');
    }
    if (name === 'numpy.dtype') {
      const code = typeof a[0] === 'string' ? a[0] : '';
      const dtype = NUMPY_DTYPES[code];
      if (!dtype) throw fail(`unsupported numpy dtype ${JSON.stringify(a[0])}`);
      return new NumpyDtype(dtype, code);
    }
    if (RECONSTRUCT.includes(name)) {
      const cls = a[0];
      if (!(cls instanceof PickleGlobal) || cls.qualified !== 'numpy.ndarray') throw fail('_reconstruct of a class other than numpy.ndarray');
      return new NumpyArray(null, [], new Uint8Array(0));
    }
    if (FROMBUFFER.includes(name)) {
      const [buffer, dtype, shape, order] = a;
      if (order !== 'C') throw fail(`numpy _frombuffer with order ${String(order)} (only C order is supported)`);
      return arrayOf(dtype, shapeOf(shape ?? null), buffer, fail);
    }
    throw fail(`refusing to call ${name}`);
  },
  build(target: PickleValue, state: PickleValue, fail: (m: string) => Error): PickleValue | undefined {
    const s = state instanceof PickleTuple ? state.items : [];
    if (target instanceof NumpyDtype) {
      // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
      if (typeof s[1] === 'string') target.byteOrder = s[1];
      return target;
    }
    if (target instanceof NumpyArray) {
      // (version, shape, dtype, is_fortran, rawdata)
      const [, shape, dtype, fortran, raw] = s;
      if (fortran === true && (shapeOf(shape ?? null)?.filter((d) => d > 1).length ?? 0) > 1) {
        throw fail('Fortran-ordered numpy arrays are not supported');
      }
      return arrayOf(dtype, shapeOf(shape ?? null), raw, fail);
    }
    return undefined;
  },
};

const invalid = (file: string, message: string): StudioFailure =>
  new StudioFailure('model_invalid', `${file}: ${message}`, { file });

/**
 * Opens a detectron2 .pkl checkpoint as a WeightSource. The file is read whole (the arrays are views
 * into it); non-array entries and the non-persistent buffers older files carry are left out.
 */
export function openDetectronPickle(file: string): WeightSource & { author?: string } {
  let bytes: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    bytes = readFileSync(file);
  } catch (err) {
    throw new StudioFailure('model_missing', `${file}: cannot read the checkpoint (${(err as Error).message})`, { file });
  }
  const root = unpickle(bytes, file, NUMPY_PICKLE);
  if (!(root instanceof Map)) throw invalid(file, 'the pickled object is not a dict (not a detectron2 checkpoint)');
  const model = root.get('model') ?? root;
  if (!(model instanceof Map)) throw invalid(file, '"model" is not a dict of arrays');
  const table = new Map<string, TensorEntry>();
  for (const [key, value] of model) {
    if (typeof key !== 'string') throw invalid(file, `state dict key ${String(key)} is not a string`);
    if (!(value instanceof NumpyArray) || !value.dtype) continue;
    if (IGNORED_KEYS.some((re) => re.test(key))) continue;
    const { dtype, data, shape } = value;
    table.set(key, { shape, read: () => decodeFloats(data, dtype.dtype, elementCount(shape)) });
  }
  if (table.size === 0) throw invalid(file, 'holds no numpy arrays (not a detectron2 model-zoo checkpoint)');
  const author = root.get('__author__');
  return Object.assign(new TableSource(file, table), { author: typeof author === 'string' ? author : undefined });
}

/** Non-persistent buffers older checkpoints still carry; detectron2 ignores them too. */
const IGNORED_KEYS: readonly RegExp[] = [/^pixel_(mean|std)$/, /^proposal_generator\.anchor_generator\.cell_anchors\./];
