// Test helpers that write small torch.save-like archives: a pickle writer for the opcodes torch
// uses and a ZIP writer (STORED or DEFLATE, optionally with zip64 records), so the reader can be
// exercised on layouts the fixture files do not cover.
import zlib from 'node:zlib';

export interface FakeTensor {
  key: string;
  storageKey: string;
  storageType?: string;
  numel: number;
  offset?: number;
  shape: number[];
  stride: number[];
}

const op = (code: number, ...rest: Buffer[]): Buffer => Buffer.concat([Buffer.from([code]), ...rest]);
const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const i32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; };
export const P = {
  proto: op(0x80, Buffer.from([2])),
  mark: op(0x28),
  stop: op(0x2e),
  emptyDict: op(0x7d),
  emptyTuple: op(0x29),
  tuple: op(0x74),
  setitem: op(0x73),
  setitems: op(0x75),
  reduce: op(0x52),
  binpersid: op(0x51),
  newfalse: op(0x89),
  int: (n: number): Buffer => op(0x4a, i32(n)),
  str: (s: string): Buffer => op(0x58, u32(Buffer.byteLength(s)), Buffer.from(s)),
  global: (module: string, name: string): Buffer => op(0x63, Buffer.from(`${module}\n${name}\n`)),
};

const ints = (values: number[]): Buffer => Buffer.concat([P.mark, ...values.map(P.int), P.tuple]);
const orderedDict = (): Buffer => Buffer.concat([P.global('collections', 'OrderedDict'), P.emptyTuple, P.reduce]);

function tensorPickle(t: FakeTensor): Buffer {
  const pid = Buffer.concat([P.mark, P.str('storage'), P.global('torch', t.storageType ?? 'FloatStorage'), P.str(t.storageKey), P.str('cpu'), P.int(t.numel), P.tuple]);
  return Buffer.concat([
    P.global('torch._utils', '_rebuild_tensor_v2'),
    P.mark, pid, P.binpersid, P.int(t.offset ?? 0), ints(t.shape), ints(t.stride), P.newfalse, orderedDict(), P.tuple,
    P.reduce,
  ]);
}

/** A state-dict pickle; `wrap` nests it as {'global_step': 7, 'state_dict': OrderedDict(...)}. */
export function stateDictPickle(tensors: FakeTensor[], wrap = false): Buffer {
  const items = tensors.flatMap((t) => [P.str(t.key), tensorPickle(t)]);
  const inner = Buffer.concat([orderedDict(), P.mark, ...items, P.setitems]);
  const body = wrap ? Buffer.concat([P.emptyDict, P.str('global_step'), P.int(7), P.setitem, P.str('state_dict'), inner, P.setitem]) : inner;
  return Buffer.concat([P.proto, body, P.stop]);
}

export interface ZipInput {
  name: string;
  data: Buffer;
  deflate?: boolean;
}

/** Writes a ZIP archive; `zip64` forces zip64 sizes/offsets and end records (as >4 GB files have). */
export function zipArchive(entries: ZipInput[], zip64 = false): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const stored = entry.deflate ? zlib.deflateRawSync(entry.data) : entry.data;
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, stored);
    const extra = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(entry.data.length), 4);
      extra.writeBigUInt64LE(BigInt(stored.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    header.writeUInt32LE(zip64 ? 0xffffffff : stored.length, 20);
    header.writeUInt32LE(zip64 ? 0xffffffff : entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(extra.length, 30);
    header.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    central.push(header, name, extra);
    offset += 30 + name.length + stored.length;
  }
  const directory = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    tail.push(record, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : directory.length, 12);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...parts, directory, ...tail, eocd]);
}

export const floats = (values: number[]): Buffer => Buffer.from(Float32Array.from(values).buffer);
