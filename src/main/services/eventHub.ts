// Fan-out of main-side events to every subscriber (one per window or WebSocket). A failing
// listener is logged and skipped so one broken connection cannot starve the others.
import type { StudioEvent } from '../../shared/contract';
import { consoleLogger, type EventHub, type Logger } from './serviceTypes';

export function createEventHub(log: Logger = consoleLogger): EventHub {
  const listeners = new Set<(event: StudioEvent) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          log.error(`an event listener failed on '${event.type}'`, err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
