// Test helper: writes float32 tensors in torch.save's legacy (pre-zip) format, following
// torch/serialization.py `_legacy_save` (magic, protocol, sys info, object, storage keys, storages).
// Checked against torch itself: tests/weights/data/legacy.ckpt was written by torch 1.13 and the
// reader must read both; torch.load reads what this helper writes.
import { P } from './torchZipFixtures';

export interface LegacyTensor {
  key: string;
  shape: number[];
  data: Float32Array;
}

const none = Buffer.from([0x4e]);
const appends = Buffer.from([0x65]);
const emptyList = Buffer.from([0x5d]);
const newtrue = Buffer.from([0x88]);
const dump = (...parts: Buffer[]): Buffer => Buffer.concat([P.proto, ...parts, P.stop]);
const ints = (values: number[]): Buffer => Buffer.concat([P.mark, ...values.map(P.int), P.tuple]);
const orderedDict = (): Buffer => Buffer.concat([P.global('collections', 'OrderedDict'), P.emptyTuple, P.reduce]);

function contiguous(shape: number[]): number[] {
  const strides: number[] = [];
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i];
  }
  return strides;
}

/** The magic number 0x1950a86a20f9469cfc6c as pickle LONG1 (10 little-endian bytes). */
function magic(): Buffer {
  const bytes = Buffer.alloc(10);
  let value = 0x1950a86a20f9469cfc6cn;
  for (let i = 0; i < 10; i++, value >>= 8n) bytes[i] = Number(value & 0xffn);
  return Buffer.concat([Buffer.from([0x8a, 10]), bytes]);
}

function sysInfo(): Buffer {
  const sizes = Buffer.concat([P.emptyDict, P.mark, P.str('short'), P.int(2), P.str('int'), P.int(4), P.str('long'), P.int(4), P.setitems]);
  return Buffer.concat([P.emptyDict, P.mark, P.str('protocol_version'), P.int(1001), P.str('little_endian'), newtrue, P.str('type_sizes'), sizes, P.setitems]);
}

/** A legacy torch.save file of `{'state_dict': OrderedDict(tensors)}` (or the bare dict), one storage per tensor. */
export function legacyTorchSave(tensors: LegacyTensor[], wrap = false): Buffer {
  const storageKey = (i: number): string => String(1000 + i); // same width, so string order = index order
  const items = tensors.flatMap((t, i) => {
    const pid = Buffer.concat([P.mark, P.str('storage'), P.global('torch', 'FloatStorage'), P.str(storageKey(i)), P.str('cpu'), P.int(t.data.length), none, P.tuple]);
    const tensor = Buffer.concat([
      P.global('torch._utils', '_rebuild_tensor_v2'),
      P.mark, pid, P.binpersid, P.int(0), ints(t.shape), ints(contiguous(t.shape)), P.newfalse, orderedDict(), P.tuple,
      P.reduce,
    ]);
    return [P.str(t.key), tensor];
  });
  const dict = Buffer.concat([orderedDict(), P.mark, ...items, P.setitems]);
  const object = wrap ? Buffer.concat([P.emptyDict, P.str('state_dict'), dict, P.setitem]) : dict;
  const keys = Buffer.concat([emptyList, P.mark, ...tensors.map((_, i) => P.str(storageKey(i))), appends]);
  const storages = tensors.flatMap((t) => {
    const count = Buffer.alloc(8);
    count.writeBigInt64LE(BigInt(t.data.length));
    return [count, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)];
  });
  return Buffer.concat([dump(magic()), dump(P.int(1001)), dump(sysInfo()), dump(object), dump(keys), ...storages]);
}
