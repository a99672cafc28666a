// The contract over WebSocket. Client → server: {id, channel, payload}; server → client:
// {id, result} for each request and {event} for every main-side event. A malformed or oversize
// message gets an error reply with id null (or its id, when one could be read); the connection
// stays open.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StudioEvent } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import type { Dispatcher } from '../services/dispatcher';
import type { EventHub, Logger } from '../services/serviceTypes';

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** Above this ws drops the connection itself (close 1009); below it we answer with an error. */
const HARD_MAX_PAYLOAD = 16 * 1024 * 1024;
const MAX_IN_FLIGHT = 256;
const PING_INTERVAL_MS = 30_000;

export type RequestId = string | number;

export interface WsReply {
  id: RequestId | null;
  result: Result<unknown>;
}

export interface WsBridgeOptions {
  dispatcher: Dispatcher;
  events: EventHub;
  log: Logger;
  maxMessageBytes?: number;
}

function validId(id: unknown): id is RequestId {
  return (typeof id === 'string' && id.length > 0 && id.length <= 128) || (typeof id === 'number' && Number.isSafeInteger(id));
}

type Parsed = { ok: true; id: RequestId; channel: string; payload: unknown } | { ok: false; id: RequestId | null; message: string };

export function parseMessage(text: string): Parsed {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { ok: false, id: null, message: 'The message is not valid JSON.' };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { ok: false, id: null, message: 'A message must be an object {id, channel, payload}.' };
  }
  const { id, channel, payload } = message as Record<string, unknown>;
  if (!validId(id)) return { ok: false, id: null, message: 'A message needs an id: a non-empty string (≤128 chars) or an integer.' };
  if (typeof channel !== 'string') return { ok: false, id, message: 'A message needs a string channel.' };
  return { ok: true, id, channel, payload };
}

function sizeOf(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

export class WsBridge {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_PAYLOAD });
  private readonly maxMessageBytes: number;
  private readonly pingTimer: NodeJS.Timeout;

  constructor(private readonly options: WsBridgeOptions) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.wss.on('connection', (ws) => this.onConnection(ws));
    this.pingTimer = setInterval(() => this.pingAll(), PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  /** Completes an upgrade the caller has already authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  get clientCount(): number {
    return this.wss.clients.size;
  }

  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((done) => this.wss.close(() => done()));
  }

  private pingAll(): void {
    for (const ws of this.wss.clients) {
      const alive = ws as WebSocket & { studioAlive?: boolean };
      if (alive.studioAlive === false) {
        ws.terminate();
        continue;
      }
      alive.studioAlive = false;
      ws.ping();
    }
  }

  private onConnection(ws: WebSocket): void {
    let inFlight = 0;
    const send = (body: WsReply | { event: StudioEvent }): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(body));
    };
    const unsubscribe = this.options.events.subscribe((event) => send({ event }));
    ws.on('pong', () => ((ws as WebSocket & { studioAlive?: boolean }).studioAlive = true));
    ws.on('close', unsubscribe);
    ws.on('error', (err) => this.options.log.warn(`WebSocket error: ${err.message}`));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send({ id: null, result: fail('invalid_request', 'Binary messages are not part of the protocol; send JSON text.') });
      if (sizeOf(data) > this.maxMessageBytes) {
        return send({ id: null, result: fail('invalid_request', `The message is larger than ${this.maxMessageBytes} bytes.`) });
      }
      const parsed = parseMessage(textOf(data));
      if (!parsed.ok) return send({ id: parsed.id, result: fail('invalid_request', parsed.message) });
      if (inFlight >= MAX_IN_FLIGHT) {
        return send({ id: parsed.id, result: fail('busy', `Too many requests in flight (${MAX_IN_FLIGHT}); wait for replies first.`) });
      }
      inFlight++;
      void this.options.dispatcher
        .dispatch(parsed.channel, parsed.payload)
        .then((result) => send({ id: parsed.id, result }))
        .finally(() => inFlight--);
    });
  }
}
