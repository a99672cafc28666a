// The renderer's browser-mode client against the real server (Node's `ws` stands in for the
// browser's WebSocket; both offer onopen/onmessage/onclose).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWsClient, type SocketLike, type WsClient } from '../../src/renderer/api/wsClient';
import type { StudioEvent } from '../../src/shared/contract';
import { rawRequest, startTestServer, type TestServer } from './helpers';

let t: TestServer;
let client: WsClient;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  t = await startTestServer();
  const origin = t.server.origin;
  client = createWsClient({
    baseUrl: origin,
    token: t.server.token,
    createSocket: (url) => {
      const ws = new WebSocket(url, { headers: { origin } });
      sockets.push(ws);
      return ws as unknown as SocketLike;
    },
    // NOTE: browsers add Origin to POSTs themselves; Node's fetch does not.
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), origin } }),
    initialBackoffMs: 20,
  });
});
afterAll(async () => {
  client.close();
  await t.stop();
});

it('makes requests, including ones issued before the socket opened', async () => {
  const [info, settings] = await Promise.all([client.request('app.info', {}), client.request('settings.get', {})]);
  expect(info).toMatchObject({ ok: true, value: { mode: 'browser' } });
  expect(settings.ok).toBe(true);
  const bad = await client.request('settings.set', { threads: 1000 });
  expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
});

it('delivers events to subscribers until they unsubscribe', async () => {
  const seen: StudioEvent[] = [];
  const off = client.subscribe((event) => seen.push(event));
  t.services.events.emit({ type: 'media.progress', path: '/a', decoded: 1, total: 2 });
  await expect.poll(() => seen.length).toBe(1);
  off();
  t.services.events.emit({ type: 'media.progress', path: '/a', decoded: 2, total: 2 });
  await client.request('settings.get', {}); // a round trip later, the event would have arrived
  expect(seen).toHaveLength(1);
});

it('reconnects after the connection drops', async () => {
  sockets[sockets.length - 1].terminate();
  const after = await client.request('settings.get', {});
  expect(after.ok).toBe(true);
  expect(sockets.length).toBeGreaterThanOrEqual(2);
});

it('uploads files for pathForFile and builds tokenised frame URLs', async () => {
  const path = await client.transport.pathForFile(new File([new Uint8Array([1, 2, 3])], 'clip one.mp4'));
  expect(path.startsWith(join(t.dataDir, 'imports'))).toBe(true);
  expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  const url = client.transport.frameUrl({ job: 'job1', kind: 'preview' }, 4);
  expect(url).toBe(`${t.server.origin}/frames/job/job1/preview/4.png?token=${encodeURIComponent(t.server.token)}`);
  expect((await rawRequest(t.server.port, new URL(url).pathname + new URL(url).search)).status).toBe(404); // authorised, no such frame yet
});

it('answers unauthorized when there is no token', async () => {
  const orphan = createWsClient({ baseUrl: t.server.origin, token: '', createSocket: () => ({}) as SocketLike });
  expect(await orphan.request('app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
});
