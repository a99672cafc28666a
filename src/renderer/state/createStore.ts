// A tiny observable value (STYLE.md §12): components read it through useSyncExternalStore and
// re-render only when the slice they select changes. Nothing polls.

export type Listener = () => void;

export interface Store<T> {
  get(): T;
  /** Replace the value (or derive it from the previous one); listeners run only on a real change. */
  set(next: T | ((previous: T) => T)): void;
  subscribe(listener: Listener): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => value,
    set(next) {
      const resolved = typeof next === 'function' ? (next as (previous: T) => T)(value) : next;
      if (Object.is(resolved, value)) return;
      value = resolved;
      // Copy first: a listener may unsubscribe itself while we iterate.
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
