// A safe reader for the pickles torch.save writes for state dicts (protocol 2; a few protocol 4
// opcodes accepted too). It interprets data opcodes only and calls nothing but the allow-listed
// constructors in pickleValues.ts; every other opcode or global is refused with the opcode's name
// and position. Opcode semantics: CPython Lib/pickletools.py.
//
// The input is untrusted: the number of values it may create is capped, nothing is spread onto
// the call stack, and a RangeError from a hostile shape (an allocation or call-stack limit)
// comes back as model_invalid naming the file, never as an internal error.
import { StudioFailure } from '../../../shared/result';
import {
  ALLOWED_GLOBALS, PickleGlobal, PickleTuple, STORAGE_DTYPES, StorageRef, type PickleExtension, type PickleValue,
} from './pickleValues';
import { applyReduce } from './pickleReduce';

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

class Reader {
  at = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly fail: (message: string) => StudioFailure,
  ) {}

  need(n: number): number {
    if (this.at + n > this.bytes.length) throw this.fail(`pickle data ends early at byte ${this.at}`);
    const start = this.at;
    this.at += n;
    return start;
  }
  u8 = (): number => this.bytes.readUInt8(this.need(1));
  u16 = (): number => this.bytes.readUInt16LE(this.need(2));
  u32 = (): number => this.bytes.readUInt32LE(this.need(4));
  i32 = (): number => this.bytes.readInt32LE(this.need(4));
  u64 = (): number => Number(this.bytes.readBigUInt64LE(this.need(8)));
  f64be = (): number => this.bytes.readDoubleBE(this.need(8));
  text(n: number): string {
    const start = this.need(n);
    return this.bytes.toString('utf8', start, start + n);
  }
  /** Raw bytes as a view into the file (no copy: numpy pickles carry whole arrays this way). */
  raw(n: number): Uint8Array {
    const start = this.need(n);
    return this.bytes.subarray(start, start + n);
  }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.at);
    if (end < 0) throw this.fail(`pickle data ends early inside a text line at byte ${this.at}`);
    const text = this.bytes.toString('utf8', this.at, end);
    this.at = end + 1;
    return text;
  }
  signedLE(n: number): bigint {
    const start = this.need(n);
    let value = 0n;
    for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[start + i]);
    return n > 0 && this.bytes[start + n - 1] & 0x80 ? value - (1n << BigInt(8 * n)) : value;
  }
}

/** Far more values than a state dict's pickle makes (~20 per tensor); bounds a hostile one. */
export const MAX_PICKLE_VALUES = 10_000_000;

export interface UnpickleOptions {
  /** Where the pickle starts in `bytes` (the legacy torch format holds several in a row). */
  start?: number;
  /** At most this many values pushed (default MAX_PICKLE_VALUES). */
  maxValues?: number;
  /** Widens the allow-list with its own globals, REDUCE and BUILD (numpy arrays). */
  extension?: PickleExtension;
}

/** Unpickles `bytes` (the `data.pkl` of a torch zip archive); `file` names it in errors. */
export function unpickle(bytes: Buffer, file: string, extension?: PickleExtension): PickleValue {
  return unpickleAt(bytes, file, { extension }).value;
}

/** Unpickles the pickle starting at `options.start`; `end` is the offset just after its STOP. */
export function unpickleAt(bytes: Buffer, file: string, options: UnpickleOptions = {}): { value: PickleValue; end: number } {
  const fail = (message: string): StudioFailure => new StudioFailure('model_invalid', `${file}: ${message}`, { file });
  const r = new Reader(bytes, fail);
  r.at = options.start ?? 0;
  try {
    return { value: run(r, fail, options.maxValues ?? MAX_PICKLE_VALUES, options.extension), end: r.at };
  } catch (error) {
    if (error instanceof RangeError) throw fail(`pickle is too large or too deeply built to read (${error.message})`);
    throw error;
  }
}

function run(
  r: Reader, fail: (message: string) => StudioFailure, maxValues: number, extension?: PickleExtension,
): PickleValue {
  const stack: StackItem[] = [];
  let pushed = 0;
  const count = (): void => {
    if (++pushed > maxValues) throw fail(`pickle creates more than ${maxValues} values (not a state dict?)`);
  };
  const push = (value: StackItem): void => {
    count();
    stack.push(value);
  };
  const memo = new Map<number, PickleValue>();
  const memoize = (index: number, value: PickleValue): void => {
    count();
    memo.set(index, value);
  };
  const pop = (): PickleValue => {
    const value = stack.pop();
    if (value === undefined || value === MARK) throw fail(`pickle stack underflow at byte ${r.at}`);
    return value;
  };
  const top = (): PickleValue => {
    const value = stack[stack.length - 1];
    if (value === undefined || value === MARK) throw fail(`pickle stack underflow at byte ${r.at}`);
    return value;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw fail(`pickle MARK missing at byte ${r.at}`);
    const items = stack.splice(at) as PickleValue[];
    return items.slice(1);
  };
  const memoGet = (index: number): PickleValue => {
    if (!memo.has(index)) throw fail(`pickle memo ${index} is unset at byte ${r.at}`);
    return memo.get(index) as PickleValue;
  };
  const pushGlobal = (module: string, name: string): void => {
    const global = new PickleGlobal(module, name);
    if (!ALLOWED_GLOBALS.has(global.qualified) && !extension?.globals.has(global.qualified)) {
      throw fail(`refusing pickle global ${global.qualified} (only torch state-dict globals are allowed; this file may not be a plain checkpoint)`);
    }
    push(global);
  };

  for (;;) {
    const position = r.at;
    const opcode = r.u8();
    switch (opcode) {
      case 0x80: r.u8(); break; // PROTO
      case 0x95: r.u64(); break; // FRAME (protocol 4 framing is transparent here)
      case 0x2e: { // STOP
        if (stack.length !== 1) throw fail(`pickle ends with ${stack.length} items on the stack`);
        return pop();
      }
      case 0x28: push(MARK); break;
      case 0x7d: push(new Map()); break; // EMPTY_DICT
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x29: push(new PickleTuple([])); break; // EMPTY_TUPLE
      case 0x74: push(new PickleTuple(popMark())); break; // TUPLE
      case 0x85: push(new PickleTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); push(new PickleTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); push(new PickleTuple([a, b, c])); break; } // TUPLE3
      case 0x4a: push(r.i32()); break; // BININT
      case 0x4b: push(r.u8()); break; // BININT1
      case 0x4d: push(r.u16()); break; // BININT2
      case 0x8a: push(narrow(r.signedLE(r.u8()))); break; // LONG1
      case 0x8b: { const n = r.i32(); if (n < 0 || n > 64) throw fail(`LONG4 of ${n} bytes refused`); push(narrow(r.signedLE(n))); break; }
      case 0x47: push(r.f64be()); break; // BINFLOAT
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x58: push(r.text(r.u32())); break; // BINUNICODE
      case 0x8c: push(r.text(r.u8())); break; // SHORT_BINUNICODE
      case 0x8d: push(r.text(r.u64())); break; // BINUNICODE8
      case 0x71: memoize(r.u8(), top()); break; // BINPUT
      case 0x72: memoize(r.u32(), top()); break; // LONG_BINPUT
      case 0x94: memoize(memo.size, top()); break; // MEMOIZE
      case 0x68: push(memoGet(r.u8())); break; // BINGET
      case 0x6a: push(memoGet(r.u32())); break; // LONG_BINGET
      case 0x63: { const module = r.line(); pushGlobal(module, r.line()); break; } // GLOBAL
      case 0x93: { const name = pop(); const module = pop(); pushGlobal(asString(module, fail), asString(name, fail)); break; } // STACK_GLOBAL
      case 0x61: { const v = pop(); asList(top(), fail).push(v); break; } // APPEND
      case 0x65: { // APPENDS (a loop: spreading 500k items would overflow the call stack)
        const items = popMark();
        const list = asList(top(), fail);
        for (const item of items) list.push(item);
        break;
      }
      case 0x73: { const v = pop(); const k = pop(); asDict(top(), fail).set(k, v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        const dict = asDict(top(), fail);
        for (let i = 0; i + 1 < items.length; i += 2) dict.set(items[i], items[i + 1]);
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const callable = pop();
        const own = extension && callable instanceof PickleGlobal && extension.globals.has(callable.qualified);
        push(own ? extension.reduce(callable, args, fail) : applyReduce(callable, args, fail));
        break;
      }
      case 0x62: { // BUILD: torch's dict state (`_metadata`) is dropped; an extension builds its own objects
        const state = pop();
        const built = extension?.build(top(), state, fail);
        if (built !== undefined) stack[stack.length - 1] = built;
        break;
      }
      case 0x42: push(r.raw(r.u32())); break; // BINBYTES
      case 0x43: push(r.raw(r.u8())); break; // SHORT_BINBYTES
      case 0x8e: push(r.raw(r.u64())); break; // BINBYTES8
      case 0x96: push(r.raw(r.u64())); break; // BYTEARRAY8 (protocol 5)
      // Python 2 str, read as pickle.load(encoding='latin1') does (detectron2's checkpointer).
      case 0x55: push(Buffer.from(r.raw(r.u8())).toString('latin1')); break; // SHORT_BINSTRING
      case 0x54: { // BINSTRING
        const n = r.i32();
        if (n < 0) throw fail(`BINSTRING of ${n} bytes refused`);
        push(Buffer.from(r.raw(n)).toString('latin1'));
        break;
      }
      case 0x51: push(persistentLoad(pop(), fail)); break; // BINPERSID
      default:
        throw fail(`refusing pickle opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${position} (not used by torch state dicts)`);
    }
  }
}

const narrow = (value: bigint): number | bigint =>
  value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;

function asString(value: PickleValue, fail: (m: string) => StudioFailure): string {
  if (typeof value !== 'string') throw fail('STACK_GLOBAL expects strings');
  return value;
}

function asList(value: PickleValue, fail: (m: string) => StudioFailure): PickleValue[] {
  if (!Array.isArray(value)) throw fail('APPEND on a value that is not a list');
  return value;
}

function asDict(value: PickleValue, fail: (m: string) => StudioFailure): Map<PickleValue, PickleValue> {
  if (!(value instanceof Map)) throw fail('SETITEM on a value that is not a dict');
  return value;
}

/**
 * torch's persistent id for a storage: ('storage', StorageType, key, location, numel), with a sixth
 * item `view_metadata` in the legacy format, which torch ≥ 0.4 always writes as None.
 */
function persistentLoad(pid: PickleValue, fail: (m: string) => StudioFailure): StorageRef {
  const items = pid instanceof PickleTuple ? pid.items : [];
  const [tag, type, key, , numel, viewMetadata] = items;
  const isCount = typeof numel === 'number' && Number.isSafeInteger(numel) && numel >= 0;
  if (tag !== 'storage' || !(type instanceof PickleGlobal) || typeof key !== 'string' || !isCount || items.length > 6) {
    throw fail('unexpected persistent id (not a torch storage reference)');
  }
  if (viewMetadata !== undefined && viewMetadata !== null) throw fail('storage views (torch < 0.4 checkpoints) are not supported');
  const dtype = STORAGE_DTYPES[type.name];
  if (type.module !== 'torch' || dtype === undefined) throw fail(`unsupported storage type ${type.qualified}`);
  return new StorageRef(dtype, key, numel);
}

