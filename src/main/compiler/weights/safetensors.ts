// Reader and writer for the safetensors format (huggingface/safetensors docs: an 8-byte
// little-endian header length, a JSON header {key: {dtype, shape, data_offsets}}, then the raw
// little-endian data). Tensors are read lazily with positioned reads, one at a time, so opening a
// multi-GB checkpoint costs only its header.
import fs from 'node:fs';
import { StudioFailure } from '../../../shared/result';
import { writeFileAtomic } from './atomicWrite';
import { readExactly } from './fileRead';
import { DTYPE_BYTES, decodeFloats, isDtype, type Dtype } from './dtypes';
import type { WeightSource } from './source';
import { TableSource, elementCount, type TensorEntry } from './tableSource';

/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length is huge). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface SafetensorsTensor {
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  key: string;
  dtype: Dtype;
  shape: number[];
  begin: number;
  end: number;
}

const invalid = (file: string, message: string, key?: string): StudioFailure =>
  new StudioFailure('model_invalid', `${file}: ${key === undefined ? '' : `tensor "${key}": `}${message}`, { file, key });

function parseEntry(file: string, key: string, raw: unknown, dataLength: number): HeaderEntry {
  if (typeof raw !== 'object' || raw === null) throw invalid(file, 'header entry is not an object', key);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (!isDtype(dtype)) {
    throw invalid(file, `unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`, key);
  }
  const isDims = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
  if (!isDims) throw invalid(file, `bad shape ${JSON.stringify(shape)}`, key);
  const isOffsets = Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isSafeInteger(o) && o >= 0);
  if (!isOffsets) throw invalid(file, `bad data_offsets ${JSON.stringify(offsets)}`, key);
  const [begin, end] = offsets as [number, number];
  const expected = elementCount(shape as number[]) * DTYPE_BYTES[dtype];
  if (end - begin !== expected) throw invalid(file, `data_offsets span ${end - begin} bytes, shape and dtype need ${expected}`, key);
  if (end > dataLength) throw invalid(file, `data ends at ${end} but the file holds only ${dataLength} data bytes (truncated?)`, key);
  return { key, dtype, shape: shape as number[], begin, end };
}

function readHeader(fd: number, file: string): { entries: HeaderEntry[]; dataStart: number; metadata: Record<string, string> } {
  const size = fs.fstatSync(fd).size;
  if (size < 8) throw invalid(file, `not a safetensors file: only ${size} bytes`);
  const headerLength = Number(readExactly(fd, file, 0, 8, 'the header length').readBigUInt64LE(0));
  if (headerLength > MAX_HEADER_BYTES) throw invalid(file, `header length ${headerLength} is too large (corrupt file?)`);
  if (8 + headerLength > size) throw invalid(file, `header of ${headerLength} bytes does not fit in the ${size}-byte file (truncated?)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readExactly(fd, file, 8, headerLength, 'the header').toString('utf8'));
  } catch (error) {
    if (error instanceof StudioFailure) throw error;
    throw invalid(file, `header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(file, 'header is not a JSON object');
  const dataStart = 8 + headerLength;
  const entries: HeaderEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [key, raw] of Object.entries(parsed)) {
    if (key === '__metadata__') metadata = (raw ?? {}) as Record<string, string>;
    else entries.push(parseEntry(file, key, raw, size - dataStart));
  }
  return { entries, dataStart, metadata };
}

function readTensor(file: string, entry: HeaderEntry, dataStart: number): Float32Array {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = readExactly(fd, file, dataStart + entry.begin, entry.end - entry.begin, `tensor "${entry.key}"`);
    return decodeFloats(bytes, entry.dtype, elementCount(entry.shape));
  } finally {
    fs.closeSync(fd);
  }
}

function openFile(file: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch (error) {
    throw new StudioFailure('model_missing', `cannot open ${file}: ${(error as Error).message}`, { file });
  }
}

/** Opens a safetensors file; only the header is read now, each tensor when it is read. */
export function openSafetensors(file: string): WeightSource & { metadata: Record<string, string> } {
  const fd = openFile(file);
  let header: ReturnType<typeof readHeader>;
  try {
    header = readHeader(fd, file);
  } finally {
    fs.closeSync(fd);
  }
  const table = new Map<string, TensorEntry>();
  for (const entry of header.entries) {
    table.set(entry.key, { shape: entry.shape, read: () => readTensor(file, entry, header.dataStart) });
  }
  return Object.assign(new TableSource(file, table), { metadata: header.metadata });
}

/** Reads every tensor of a (small) safetensors file eagerly: fixtures, latents, text embeddings. */
export function readSafetensorsFile(file: string): Map<string, SafetensorsTensor> {
  const source = openSafetensors(file);
  const out = new Map<string, SafetensorsTensor>();
  for (const key of source.keys()) {
    const shape = [...(source.shape(key) ?? [])];
    out.set(key, { shape, data: source.take(key, shape).read() });
  }
  return out;
}

/** Writes float32 tensors (keys sorted, header padded to 8 bytes as the reference writer does), atomically. */
export function writeSafetensors(
  file: string,
  tensors: ReadonlyMap<string, SafetensorsTensor> | Record<string, SafetensorsTensor>,
  metadata?: Record<string, string>,
): void {
  const list = (tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors)).sort(([a], [b]) => (a < b ? -1 : 1));
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [key, tensor] of list) {
    if (tensor.data.length !== elementCount(tensor.shape)) {
      throw new StudioFailure('internal', `writeSafetensors(${file}): "${key}" has ${tensor.data.length} values for shape [${tensor.shape}]`);
    }
    header[key] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const bodies = list.map(([, t]) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  writeFileAtomic(file, [length, json, ...bodies]);
}
