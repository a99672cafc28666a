// WeightSource for the legacy (pre-zip) torch.save format, which torch wrote before 1.6 and still
// writes with `_use_new_zipfile_serialization=False` (torch/serialization.py `_legacy_save`):
//   1. a pickle of the magic number 0x1950a86a20f9469cfc6c,
//   2. a pickle of the protocol version (1001),
//   3. a pickle of sys info {protocol_version, little_endian, type_sizes},
//   4. the object pickle, whose persistent ids name storages,
//   5. a pickle of the sorted storage keys,
//   6. per key in that order: the element count as int64 little-endian, then the raw elements.
// Only the pickles are read when the file is opened; tensor bytes are read on demand.
import fs from 'node:fs';
import { readExactly } from './fileRead';
import { DTYPE_BYTES, type Dtype } from './dtypes';
import { unpickleAt } from './pickle';
import { TensorView, type PickleValue } from './pickleValues';
import type { WeightSource } from './source';
import { TableSource } from './tableSource';
import { MAX_PICKLE_BYTES, stateDictViews, torchInvalid, viewTable, type StorageBytes } from './torchViews';

export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/** True when `head` (the file's first bytes) starts a legacy torch.save file: PROTO 2, LONG1 of 10 bytes. */
export function isLegacyTorchHead(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x80 && head[2] === 0x8a && head[3] === 0x0a;
}

function checkHeader(file: string, values: PickleValue[]): void {
  const [magic, protocol, sysInfo] = values;
  if (magic !== LEGACY_MAGIC) throw torchInvalid(file, 'not a torch.save file (wrong magic number)');
  if (protocol !== LEGACY_PROTOCOL) throw torchInvalid(file, `legacy torch.save protocol ${String(protocol)} is not supported (only ${LEGACY_PROTOCOL})`);
  if (!(sysInfo instanceof Map) || sysInfo.get('little_endian') !== true) {
    throw torchInvalid(file, 'written on a big-endian machine, or its sys info is missing; only little-endian files are read');
  }
}

/** Each storage's element type, from the views that use it (one storage, one type). */
function storageTypes(file: string, views: ReadonlyMap<string, TensorView>): Map<string, Dtype> {
  const types = new Map<string, Dtype>();
  for (const [key, view] of views) {
    const known = types.get(view.storage.key);
    if (known !== undefined && known !== view.storage.dtype) throw torchInvalid(file, `storage ${view.storage.key} is used with two element types`, key);
    types.set(view.storage.key, view.storage.dtype);
  }
  return types;
}

interface StorageRecord {
  /** Absolute offset of the storage's first element. */
  at: number;
  size: number;
}

/** Walks the storage records after the pickles: [int64 count][count × element] per key. */
function locateStorages(fd: number, file: string, start: number, keys: PickleValue, types: Map<string, Dtype>): Map<string, StorageRecord> {
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw torchInvalid(file, 'the storage key list is not a list of strings');
  const fileSize = fs.fstatSync(fd).size;
  const records = new Map<string, StorageRecord>();
  let at = start;
  for (const key of keys as string[]) {
    const dtype = types.get(key);
    if (dtype === undefined) throw torchInvalid(file, `storage ${key} is listed but no tensor uses it (not a plain state dict?)`);
    if (records.has(key)) throw torchInvalid(file, `storage ${key} is listed twice`);
    const count = readExactly(fd, file, at, 8, `the size of storage ${key}`).readBigInt64LE(0);
    const size = Number(count) * DTYPE_BYTES[dtype];
    if (count < 0n || !Number.isSafeInteger(size) || at + 8 + size > fileSize) {
      throw torchInvalid(file, `storage ${key} claims ${count} elements, more than the ${fileSize}-byte file holds (truncated?)`);
    }
    records.set(key, { at: at + 8, size });
    at += 8 + size;
  }
  for (const key of types.keys()) {
    if (!records.has(key)) throw torchInvalid(file, `storage ${key} is used but not in the file's storage list`);
  }
  return records;
}

function readRange(file: string, position: number, length: number, what: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    return readExactly(fd, file, position, length, what);
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens a legacy torch.save checkpoint (see above); every view is checked against its storage now. */
export function openTorchLegacy(file: string): WeightSource {
  const fd = fs.openSync(file, 'r');
  try {
    const fileSize = fs.fstatSync(fd).size;
    // The pickles come first; a state dict's are far below the cap, so one read holds them all.
    const head = readExactly(fd, file, 0, Math.min(fileSize, MAX_PICKLE_BYTES), 'the pickles');
    const values: PickleValue[] = [];
    let at = 0;
    for (let i = 0; i < 5; i++) {
      const { value, end } = unpickleAt(head, file, { start: at });
      values.push(value);
      at = end;
      if (i === 2) checkHeader(file, values);
    }
    const views = stateDictViews(values[3], file);
    const records = locateStorages(fd, file, at, values[4], storageTypes(file, views));
    const table = viewTable(file, views, (_key, view): StorageBytes => {
      const record = records.get(view.storage.key) as StorageRecord;
      return {
        size: record.size,
        read: (offset, length) => readRange(file, record.at + offset, length, `storage ${view.storage.key}`),
      };
    });
    return new TableSource(file, table);
  } finally {
    fs.closeSync(fd);
  }
}
