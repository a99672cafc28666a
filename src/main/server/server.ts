// Browser mode's server: the renderer, frames and uploads over HTTP, the contract over a
// WebSocket at /ws — all behind the per-start token (see security.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { dataPaths } from '../paths';
import { hasTraversal, parseFrameRoute, resolveFrameFile, type FrameRoute } from '../services/frameRoutes';
import type { Services } from '../services/index';
import type { Logger } from '../services/serviceTypes';
import { sendError, sendFile, setSecurityHeaders } from './responses';
import { checkRequest, createGate, isLoopbackHost, newToken, tokenCookie, type Gate } from './security';
import { serveRenderer } from './staticFiles';
import { DEFAULT_MAX_UPLOAD_BYTES, handleUpload } from './upload';
import { WsBridge } from './wsBridge';

export interface StudioServerOptions {
  services: Services;
  rendererDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When `port` is busy, listen on a free port instead of failing (a remembered port, not an explicit one). */
  fallbackToFreePort?: boolean;
  /** The access token; a new random one when not given. */
  token?: string;
  /** Required to bind a non-loopback address. */
  allowRemote?: boolean;
  maxUploadBytes?: number;
  maxMessageBytes?: number;
  log?: Logger;
}

export interface StudioServer {
  /** The address to open, token included. */
  url: string;
  origin: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function frameCacheControl(route: FrameRoute): string {
  if (route.kind !== 'job') return 'private, max-age=86400'; // media ids change with the file
  return route.frameKind === 'preview' ? 'no-store' : 'no-cache';
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

interface Router {
  gate: Gate;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

function createRouter(options: StudioServerOptions, gate: Gate, log: Logger): Router {
  const { services } = options;
  const importsDir = dataPaths(services.ctx.dataDir).imports;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const rawUrl = req.url ?? '/';
    const rawPath = rawUrl.split('?')[0];
    const url = new URL(rawUrl, 'http://studio.invalid');
    const verdict = checkRequest(req, url, gate);
    if (!verdict.ok) return sendError(res, verdict.status, 'unauthorized', verdict.reason);
    const method = (req.method ?? 'GET').toUpperCase();

    if (rawPath === '/upload') {
      if (method !== 'POST') return sendError(res, 405, 'invalid_request', 'Use POST to upload.');
      return handleUpload(req, res, url, { importsDir, maxBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, log });
    }
    if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, 'invalid_request', `${method} is not supported here.`);
    if (hasTraversal(rawPath)) return sendError(res, 400, 'invalid_request', 'Path not allowed.');

    if (rawPath.startsWith('/frames/') || rawPath.startsWith('/thumbs/')) {
      const route = parseFrameRoute(rawPath);
      if (!route) return sendError(res, 404, 'not_found', 'Not a frame address.');
      const file = await resolveFrameFile(route, services.frames, services.frameRoots);
      if (!file) return sendError(res, 404, 'not_found', 'No such frame (yet).');
      return sendFile(res, file, frameCacheControl(route), method);
    }
    // The page was opened with the token in its URL: remember it in a cookie for sub-resources.
    const extraHeaders: Record<string, string> = url.searchParams.get('token') ? { 'Set-Cookie': tokenCookie(gate) } : {};
    return serveRenderer(res, rawPath, { rendererDir: options.rendererDir, token: gate.token, host: req.headers.host ?? '', method, extraHeaders });
  }

  return { gate, handle };
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Forbidden';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

async function listenOrFallBack(server: Server, host: string, port: number, fallback: boolean): Promise<number> {
  try {
    return await listen(server, host, port);
  } catch (err) {
    if (!fallback || port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return listen(server, host, 0);
  }
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? options.services.ctx.log;
  const loopbackOnly = isLoopbackHost(host);
  if (!loopbackOnly && !options.allowRemote) {
    throw new Error(`Refusing to listen on ${host}: it is reachable from other machines. Pass --allow-remote to do it anyway.`);
  }
  const token = options.token ?? newToken();
  const server = createServer();
  const port = await listenOrFallBack(server, host, options.port ?? 0, options.fallbackToFreePort ?? false);
  const router = createRouter(options, createGate(token, port, loopbackOnly), log);
  const bridge = new WsBridge({ dispatcher: options.services.dispatcher, events: options.services.events, log, maxMessageBytes: options.maxMessageBytes });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    router.handle(req, res).catch((err: unknown) => {
      log.error(`HTTP ${req.method} ${req.url?.split('?')[0]} failed`, err);
      sendError(res, 500, 'internal', 'Something went wrong; the details are in the log.');
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://studio.invalid');
    if (url.pathname !== '/ws' || hasTraversal((req.url ?? '').split('?')[0])) return rejectUpgrade(socket, 404, 'Only /ws accepts WebSocket connections.');
    const verdict = checkRequest(req, url, router.gate);
    if (!verdict.ok) return rejectUpgrade(socket, verdict.status, verdict.reason);
    bridge.accept(req, socket, head);
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const origin = `http://${urlHost(host)}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    async close() {
      await bridge.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
