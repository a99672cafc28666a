// A minimal read-only ZIP reader (PKWARE APPNOTE.TXT §4.3): the end-of-central-directory record,
// zip64 extensions (the real temporal_attention.ckpt is 5 GB), and STORED or DEFLATE entries.
// torch.save writes STORED entries whose data is 64-byte aligned via local-header padding, so the
// data offset is taken from each local header, not from the central directory.
//
// A checkpoint is untrusted input: every declared size is checked against the file before anything
// is allocated (a STORED entry stores exactly its size; DEFLATE cannot expand more than 1032:1),
// and inflating is capped at the declared size, which the output must then equal exactly.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { StudioFailure } from '../../../shared/result';
import { readExactly } from './fileRead';

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** DEFLATE's best case is 258 bytes per 2-bit code, ≈ 1032:1 (zlib's technical notes). */
const MAX_DEFLATE_RATIO = 1032;
/** Far above the real checkpoints' few thousand entries; bounds the directory we parse. */
const MAX_ENTRIES = 1_000_000;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const corrupt = (file: string, message: string): StudioFailure =>
  new StudioFailure('model_invalid', `${file}: ${message}`, { file });

function findEocd(fd: number, file: string, fileSize: number): { offset: number; record: Buffer } {
  const tailLength = Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
  const tail = readExactly(fd, file, fileSize - tailLength, tailLength, 'the zip directory');
  for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD) return { offset: fileSize - tailLength + i, record: tail.subarray(i, i + EOCD_SIZE) };
  }
  throw corrupt(file, 'not a zip archive, or truncated (no end-of-central-directory record)');
}

/** Locates the central directory, following the zip64 locator when the classic fields overflow. */
function centralDirectory(fd: number, file: string, fileSize: number): { offset: number; size: number; count: number } {
  const { offset: eocdOffset, record } = findEocd(fd, file, fileSize);
  let count = record.readUInt16LE(10);
  let size = record.readUInt32LE(12);
  let offset = record.readUInt32LE(16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    if (eocdOffset < 20) throw corrupt(file, 'zip64 locator missing');
    const locator = readExactly(fd, file, eocdOffset - 20, 20, 'the zip64 locator');
    if (locator.readUInt32LE(0) !== SIG_ZIP64_LOCATOR) throw corrupt(file, 'zip64 locator missing');
    const zip64At = Number(locator.readBigUInt64LE(8));
    const zip64 = readExactly(fd, file, zip64At, 56, 'the zip64 directory record');
    if (zip64.readUInt32LE(0) !== SIG_ZIP64_EOCD) throw corrupt(file, 'bad zip64 end-of-central-directory record');
    count = Number(zip64.readBigUInt64LE(32));
    size = Number(zip64.readBigUInt64LE(40));
    offset = Number(zip64.readBigUInt64LE(48));
  }
  if (offset + size > fileSize) throw corrupt(file, `central directory (${offset}+${size}) lies beyond the ${fileSize}-byte file (truncated?)`);
  if (count > MAX_ENTRIES || count * 46 > size) throw corrupt(file, `the zip directory claims ${count} entries in ${size} bytes (corrupt file?)`);
  return { offset, size, count };
}

/** Applies the zip64 extra field (id 1): 8-byte values for each classic field that is all ones. */
function applyZip64Extra(extra: Buffer, fields: { size: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const next = (): number => {
        const value = Number(extra.readBigUInt64LE(p));
        p += 8;
        return value;
      };
      if (fields.size === 0xffffffff) fields.size = next();
      if (fields.compressedSize === 0xffffffff) fields.compressedSize = next();
      if (fields.localHeaderOffset === 0xffffffff) fields.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

export function parseCentralDirectory(buffer: Buffer, file: string, count: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== SIG_CENTRAL) throw corrupt(file, `corrupt central directory at entry ${i}`);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const fields = {
      size: buffer.readUInt32LE(at + 24),
      compressedSize: buffer.readUInt32LE(at + 20),
      localHeaderOffset: buffer.readUInt32LE(at + 42),
    };
    applyZip64Extra(buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), fields);
    const entry = { name, method: buffer.readUInt16LE(at + 10), ...fields };
    checkDeclaredSizes(file, entry);
    if (entries.has(name)) throw corrupt(file, `entry ${name} appears twice in the zip directory`);
    entries.set(name, entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes an entry can really have: STORED holds exactly its size, DEFLATE at most 1032× its input. */
function checkDeclaredSizes(file: string, entry: ZipEntry): void {
  const { name, method, size, compressedSize } = entry;
  if (!Number.isSafeInteger(size) || !Number.isSafeInteger(compressedSize)) throw corrupt(file, `entry ${name} has an impossible size`);
  if (method === METHOD_STORED && compressedSize !== size) {
    throw corrupt(file, `stored entry ${name} claims ${size} bytes but stores ${compressedSize} (corrupt file?)`);
  }
  if (method === METHOD_DEFLATE && size > Math.max(compressedSize, 1) * MAX_DEFLATE_RATIO) {
    throw corrupt(file, `entry ${name} claims ${size} bytes from ${compressedSize} compressed bytes, more than DEFLATE can expand (corrupt file?)`);
  }
}

export class ZipArchive {
  private constructor(
    readonly file: string,
    readonly entries: ReadonlyMap<string, ZipEntry>,
    private readonly fileSize: number,
  ) {}

  static open(file: string): ZipArchive {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (error) {
      throw new StudioFailure('model_missing', `cannot open ${file}: ${(error as Error).message}`, { file });
    }
    try {
      const fileSize = fs.fstatSync(fd).size;
      if (fileSize < EOCD_SIZE) throw corrupt(file, `not a zip archive: only ${fileSize} bytes`);
      const dir = centralDirectory(fd, file, fileSize);
      const buffer = readExactly(fd, file, dir.offset, dir.size, 'the central directory');
      return new ZipArchive(file, parseCentralDirectory(buffer, file, dir.count), fileSize);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Absolute file offset of an entry's data (after its local header and padding). */
  private dataStart(fd: number, entry: ZipEntry): number {
    const local = readExactly(fd, this.file, entry.localHeaderOffset, 30, `the local header of ${entry.name}`);
    if (local.readUInt32LE(0) !== SIG_LOCAL) throw corrupt(this.file, `bad local header for entry ${entry.name}`);
    const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + entry.compressedSize > this.fileSize) {
      throw corrupt(this.file, `entry ${entry.name} ends beyond the end of the file (truncated?)`);
    }
    return start;
  }

  /**
   * Checks that every entry's local header is where the directory says and that its data lies
   * inside the file, so a truncated or spliced archive is refused when it is opened, not when its
   * last tensor is read.
   */
  verifyEntries(): void {
    const fd = fs.openSync(this.file, 'r');
    try {
      for (const entry of this.entries.values()) this.dataStart(fd, entry);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Reads `length` bytes at `offset` within an entry's uncompressed data. */
  read(name: string, offset = 0, length?: number): Buffer {
    const entry = this.entries.get(name);
    if (!entry) throw corrupt(this.file, `missing archive entry ${name}`);
    const want = length ?? entry.size - offset;
    if (offset < 0 || want < 0 || offset + want > entry.size) {
      throw corrupt(this.file, `entry ${name} holds ${entry.size} bytes, ${offset + want} needed`);
    }
    const fd = fs.openSync(this.file, 'r');
    try {
      const start = this.dataStart(fd, entry);
      if (entry.method === METHOD_STORED) return readExactly(fd, this.file, start + offset, want, `entry ${name}`);
      if (entry.method !== METHOD_DEFLATE) throw corrupt(this.file, `entry ${name} uses unsupported compression method ${entry.method}`);
      const inflated = inflate(this.file, entry, readExactly(fd, this.file, start, entry.compressedSize, `entry ${name}`));
      return inflated.subarray(offset, offset + want);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Inflates at most the declared size; a stream that is longer or shorter is refused. */
function inflate(file: string, entry: ZipEntry, compressed: Buffer): Buffer {
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1) });
  } catch (error) {
    const tooLong = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    const why = tooLong ? `inflates to more than the ${entry.size} bytes it declares` : `does not inflate: ${(error as Error).message}`;
    throw corrupt(file, `entry ${entry.name} ${why} (corrupt file?)`);
  }
  if (out.length !== entry.size) throw corrupt(file, `entry ${entry.name} inflates to ${out.length} bytes, not the ${entry.size} it declares`);
  return out;
}
