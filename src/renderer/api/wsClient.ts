// Browser mode's StudioApi: the contract over one WebSocket (/ws?token=…), frames and uploads
// over HTTP. Requests made while disconnected wait (up to `queueTimeoutMs`) for the reconnect;
// requests in flight when the socket drops are answered with not_available, because the server
// may or may not have run them. `transport.connection` reports the link's state at once (the
// socket's close event), so the editor can say that the server is gone; reconnecting reuses the
// credential the client was created with, so a server restarted with the same port and data
// folder takes the tab back.
import type { Channel, ConnectionMonitor, ConnectionState, RequestOf, ResponseOf, StudioApi, StudioEvent, StudioTransport } from '../../shared/contract';
import { framePath, thumbPath } from '../../shared/frameUrls';
import { fail, type Result } from '../../shared/result';

/** The subset of the browser WebSocket API we use (the `ws` package offers the same, for tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WsClientOptions {
  /** e.g. http://127.0.0.1:5717 — the page's own origin in the browser. */
  baseUrl: string;
  token: string;
  createSocket?: SocketFactory;
  fetch?: typeof fetch;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  queueTimeoutMs?: number;
}

export interface WsClient extends StudioApi {
  /** Stops reconnecting and closes the socket; pending requests are answered not_available. */
  close(): void;
}

const OPEN = 1;

interface Pending {
  resolve: (result: Result<unknown>) => void;
  text: string;
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

function wsUrl(baseUrl: string, token: string): string {
  const url = new URL('/ws', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return url.toString();
}

function createTransport(options: WsClientOptions, connection: ConnectionMonitor): StudioTransport {
  const withToken = (path: string): string => `${options.baseUrl}${path}?token=${encodeURIComponent(options.token)}`;
  const doFetch = options.fetch ?? fetch;
  return {
    kind: 'browser',
    connection,
    frameUrl: (source, index) => withToken(framePath(source, index)),
    thumbUrl: (mediaId, index) => withToken(thumbPath(mediaId, index)),
    async pathForFile(file) {
      const url = `${withToken('/upload')}&name=${encodeURIComponent(file.name)}`;
      const response = await doFetch(url, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
      const result = (await response.json().catch(() => null)) as Result<{ path: string }> | null;
      if (result?.ok) return result.value.path;
      throw new Error(result?.error.message ?? `Uploading ${file.name} failed (HTTP ${response.status}).`);
    },
  };
}

export function createWsClient(options: WsClientOptions): WsClient {
  const createSocket: SocketFactory = options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const initialBackoff = options.initialBackoffMs ?? 250;
  // Loopback: retrying every 2 s costs nothing and brings a restarted server back quickly.
  const maxBackoff = options.maxBackoffMs ?? 2000;
  const queueTimeout = options.queueTimeoutMs ?? 30_000;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: StudioEvent) => void>();
  let socket: SocketLike | null = null;
  let nextId = 1;
  let backoff = initialBackoff;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let state: ConnectionState = 'connecting';
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const settle = (id: number, result: Result<unknown>): void => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    entry.resolve(result);
  };

  const flush = (): void => {
    for (const entry of pending.values()) {
      if (entry.sent || socket?.readyState !== OPEN) continue;
      socket.send(entry.text);
      entry.sent = true;
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
    }
  };

  const onMessage = (data: unknown): void => {
    let message: { id?: unknown; result?: Result<unknown>; event?: StudioEvent };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return;
    }
    if (message.event) {
      for (const listener of [...listeners]) listener(message.event);
    } else if (typeof message.id === 'number' && message.result) {
      settle(message.id, message.result);
    } else if (message.result && !message.result.ok) {
      console.warn(`studio server: ${message.result.error.message}`);
    }
  };

  const scheduleReconnect = (): void => {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, backoff);
    backoff = Math.min(backoff * 2, maxBackoff);
  };

  function connect(): void {
    if (closed || socket || !options.token) return;
    const current = createSocket(wsUrl(options.baseUrl, options.token));
    socket = current;
    current.onopen = () => {
      backoff = initialBackoff;
      setState('open');
      flush();
    };
    current.onmessage = (event) => onMessage(event.data);
    current.onerror = () => undefined; // onclose follows and handles it
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      for (const [id, entry] of pending) {
        if (entry.sent) settle(id, fail('not_available', 'The connection to the studio server was lost before it answered; try again.'));
      }
      setState('lost');
      scheduleReconnect();
    };
  }

  const connection: ConnectionMonitor = {
    state: () => state,
    subscribe(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    retryNow() {
      if (closed || socket) return;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      backoff = initialBackoff;
      connect();
    },
  };

  const request = <C extends Channel>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>> => {
    if (closed) return Promise.resolve(fail('not_available', 'The studio connection is closed.'));
    if (!options.token) {
      return Promise.resolve(fail('unauthorized', 'No access token: open the address printed when the studio server started.'));
    }
    const id = nextId++;
    return new Promise((resolve) => {
      const entry: Pending = { resolve: resolve as Pending['resolve'], text: JSON.stringify({ id, channel, payload: input }), sent: false, timer: null };
      pending.set(id, entry);
      if (socket?.readyState === OPEN) return flush();
      entry.timer = setTimeout(() => settle(id, fail('not_available', 'Cannot reach the studio server. Is it still running?')), queueTimeout);
      connect();
    });
  };

  connect();
  return {
    request,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    transport: createTransport(options, connection),
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const id of [...pending.keys()]) settle(id, fail('not_available', 'The studio connection is closed.'));
      socket?.close();
      socket = null;
    },
  };
}
