// REDUCE for the allow-listed callables: what each would construct, as plain data.
import type { StudioFailure } from '../../../shared/result';
import { PickleGlobal, PickleTuple, StorageRef, TensorView, type PickleValue } from './pickleValues';

const intTuple = (value: PickleValue): number[] | undefined =>
  value instanceof PickleTuple && value.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d))
    ? (value.items as number[])
    : undefined;

export function applyReduce(callable: PickleValue, args: PickleValue, fail: (m: string) => StudioFailure): PickleValue {
  if (!(callable instanceof PickleGlobal)) throw fail('REDUCE on a value that is not an allowed global');
  if (!(args instanceof PickleTuple)) throw fail(`REDUCE arguments for ${callable.qualified} are not a tuple`);
  const a = args.items;
  switch (callable.qualified) {
    case 'collections.OrderedDict': {
      const dict = new Map<PickleValue, PickleValue>();
      if (a.length > 0) throw fail('OrderedDict with constructor arguments is not supported');
      return dict;
    }
    case 'torch._utils._rebuild_tensor_v2': {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      const [storage, offset] = a;
      const shape = intTuple(a[2]);
      const stride = intTuple(a[3]);
      if (!(storage instanceof StorageRef) || typeof offset !== 'number' || !shape || !stride || shape.length !== stride.length) {
        throw fail('malformed _rebuild_tensor_v2 arguments');
      }
      return new TensorView(storage, offset, shape, stride);
    }
    case 'torch._utils._rebuild_parameter': {
      // (data, requires_grad, backward_hooks): a Parameter is its tensor for our purposes.
      if (!(a[0] instanceof TensorView)) throw fail('malformed _rebuild_parameter arguments');
      return a[0];
    }
    default:
      throw fail(`refusing to call ${callable.qualified}`);
  }
}
