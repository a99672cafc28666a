import { useSyncExternalStore } from 'react';
import type { Store } from './createStore';

/**
 * Subscribe to one fact of a store. The selector must return a stored value or a primitive (not a
 * fresh object), so React can compare snapshots with Object.is.
 */
export function useStore<T, S>(store: Store<T>, selector: (value: T) => S): S {
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}
