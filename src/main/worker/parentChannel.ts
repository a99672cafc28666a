// The child side of a worker's message channel, for both children (render worker, model compiler).
// Under Electron a utilityProcess talks through `process.parentPort`; a forked Node child through
// `process.send`.

export interface ParentChannel<Event> {
  send(event: Event): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Lets the process end once the last message has left. */
  close(): void;
}

/** NOTE: Electron's utilityProcess exposes `process.parentPort` (messages wrapped in `{ data }`). */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** `what` names the child in the error raised when it was started by hand, without a channel. */
export function openParentChannel<Event>(what: string): ParentChannel<Event> {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (event) => parentPort.postMessage(event),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data)),
      close: () => setTimeout(() => process.exit(0), 200), // let the last message leave first
    };
  }
  if (process.send) {
    return {
      send: (event) => process.send?.(event),
      onMessage: (listener) => process.on('message', listener),
      close: () => (process.connected ? process.disconnect() : undefined),
    };
  }
  throw new Error(`the ${what} must be started by the studio (no IPC channel)`);
}
