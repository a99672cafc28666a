// The values the safe unpickler can produce, and the only callables it will invoke. Everything a
// torch state dict needs is here; any other global is refused (a pickle can name any Python
// callable, so this allow-list is the security boundary).
import type { Dtype } from './dtypes';

export class PickleTuple {
  constructor(readonly items: PickleValue[]) {}
}

/** A reference to a global from the allow-list, as pushed by GLOBAL / STACK_GLOBAL. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A persistent storage reference: `('storage', <StorageType>, key, location, numel)`. */
export class StorageRef {
  constructor(
    readonly dtype: Dtype,
    readonly key: string,
    readonly numel: number,
  ) {}
}

/** What torch._utils._rebuild_tensor_v2 would build: a view into a storage. */
export class TensorView {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

/** Base of the objects an extension constructs (numpy arrays and dtypes). */
export abstract class PickleObject {}

/** Extra globals for one file format, with what REDUCE and BUILD do for them. */
export interface PickleExtension {
  readonly globals: ReadonlySet<string>;
  reduce(callable: PickleGlobal, args: PickleValue, fail: (message: string) => Error): PickleValue;
  /** The object after BUILD with `state`, or undefined to keep the base reader's behaviour. */
  build(target: PickleValue, state: PickleValue, fail: (message: string) => Error): PickleValue | undefined;
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PickleValue[]
  | PickleTuple
  | Map<PickleValue, PickleValue>
  | PickleGlobal
  | StorageRef
  | TensorView
  | Uint8Array
  | PickleObject;

/** torch storage class names (torch.save writes the legacy typed names) → element type. */
export const STORAGE_DTYPES: Readonly<Record<string, Dtype>> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

export const ALLOWED_GLOBALS: ReadonlySet<string> = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  ...Object.keys(STORAGE_DTYPES).map((name) => `torch.${name}`),
]);
