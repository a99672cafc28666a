// A real browser-mode server on 127.0.0.1:0 in a temporary data folder, and raw HTTP/WS clients
// (node:http keeps paths exactly as written, which fetch would normalise).
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createServices, type ServiceLoader, type Services } from '../../src/main/services/index';
import { JsonSettingsStore } from '../../src/main/services/settings';
import type { Logger } from '../../src/main/services/serviceTypes';
import { startStudioServer, type StudioServer } from '../../src/main/server/server';

export const quietLog: Logger & { errors: string[] } = {
  errors: [],
  info: () => undefined,
  warn: () => undefined,
  error(message) {
    this.errors.push(message);
  },
};

/**
 * Stands in for the media and render services' path resolvers. Deliberately naive (joins
 * whatever id it gets) so the tests prove the server, not the resolver, stops traversal.
 */
export function naiveFrameLoader(dataDir: string): ServiceLoader {
  return {
    name: 'test-frames',
    channels: [],
    load: async () => ({
      handlers: {},
      frames: {
        framePath: (id, n) => join(dataDir, 'cache', id, `${n}.jpg`),
        thumbPath: (id, n) => join(dataDir, 'cache', id, 'thumbs', `${n}.jpg`),
        jobFramePath: (job, kind, n) => join(dataDir, 'jobs', job, kind, `${n}.png`),
      },
    }),
  };
}

export interface TestServer {
  server: StudioServer;
  services: Services;
  dataDir: string;
  rendererDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(options: { rendererDir?: string; maxUploadBytes?: number; maxMessageBytes?: number } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mas-server-'));
  const rendererDir = options.rendererDir ?? join(dataDir, 'no-renderer');
  const services = await createServices({
    mode: 'browser',
    version: '0.0.0-test',
    dataDir,
    settings: JsonSettingsStore.inDataDir(dataDir, quietLog),
    log: quietLog,
    loaders: [naiveFrameLoader(dataDir)],
  });
  const server = await startStudioServer({ services, rendererDir, port: 0, log: quietLog, ...options });
  return {
    server,
    services,
    dataDir,
    rendererDir,
    async stop() {
      await server.close();
      await services.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens /ws and resolves once open, or rejects with the HTTP status of a refused upgrade. */
export function openSocket(port: number, query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends raw text and waits for the reply carrying `id` (or the next id-null reply). */
export function exchange(ws: WebSocket, text: string, id: string | number | null): Promise<{ id: unknown; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply for ${String(id)}`)), 10_000);
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as { id?: unknown; result?: unknown };
      if (!('result' in message) || message.id !== id) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(message as never);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}
