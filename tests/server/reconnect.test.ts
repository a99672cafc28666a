// A dead server is noticed at once and a restarted one takes the client back: the renderer's
// WebSocket client against real servers that stop and start again on the same data folder
// (server.json remembers the port and the token; a busy port falls back to a free one).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { portToTry, readServerIdentity, saveServerIdentity } from '../../src/main/server/serverIdentity';
import { startStudioServer, type StudioServer } from '../../src/main/server/server';
import { createServices, type Services } from '../../src/main/services/index';
import { JsonSettingsStore } from '../../src/main/services/settings';
import { createWsClient, type SocketLike } from '../../src/renderer/api/wsClient';
import type { ConnectionState } from '../../src/shared/contract';
import { quietLog } from './helpers';

const dataDir = mkdtempSync(join(tmpdir(), 'mas-reconnect-'));
const running: { server: StudioServer; services: Services }[] = [];

/** What main.ts does: the remembered port (else a free one) and token, remembered again after. */
async function startLikeMain(): Promise<StudioServer> {
  const remembered = readServerIdentity(dataDir);
  const { port, fallback } = portToTry(null, remembered);
  const services = await createServices({
    mode: 'browser',
    version: 't',
    dataDir,
    settings: JsonSettingsStore.inDataDir(dataDir, quietLog),
    log: quietLog,
    loaders: [],
  });
  const server = await startStudioServer({
    services, rendererDir: join(dataDir, 'none'), port, fallbackToFreePort: fallback, token: remembered.token, log: quietLog,
  });
  saveServerIdentity(dataDir, { port: server.port, token: server.token });
  running.push({ server, services });
  return server;
}

async function stop(server: StudioServer): Promise<void> {
  const entry = running.find((r) => r.server === server);
  await server.close();
  await entry?.services.dispose();
}

afterAll(async () => {
  for (const { server, services } of running) await Promise.allSettled([server.close(), services.dispose()]);
  rmSync(dataDir, { recursive: true, force: true });
});

it('shows the loss at once, keeps retrying, and reconnects to the server restarted on the same port', async () => {
  const first = await startLikeMain();
  const origin = first.origin;
  const states: ConnectionState[] = [];
  const client = createWsClient({
    baseUrl: origin,
    token: first.token,
    createSocket: (url) => new WebSocket(url, { headers: { origin } }) as unknown as SocketLike,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
  });
  const connection = client.transport.connection!;
  connection.subscribe((s) => states.push(s));
  expect((await client.request('app.info', {})).ok).toBe(true);
  expect(connection.state()).toBe('open');

  const stoppedAt = Date.now();
  await stop(first);
  await expect.poll(() => connection.state(), { timeout: 2000, interval: 5 }).toBe('lost');
  const noticedMs = Date.now() - stoppedAt;
  console.log(`connection loss noticed ${noticedMs} ms after the server closed`);
  expect(noticedMs).toBeLessThan(1000);
  await new Promise((r) => setTimeout(r, 300)); // several failed attempts while nobody listens
  expect(connection.state()).toBe('lost');

  const second = await startLikeMain();
  expect(second.port).toBe(first.port);
  expect(second.token).toBe(first.token);
  await expect.poll(() => connection.state(), { timeout: 5000, interval: 10 }).toBe('open');
  expect(await client.request('settings.get', {})).toMatchObject({ ok: true });
  expect(states).toEqual(['open', 'lost', 'open']);
  expect(statSync(join(dataDir, 'server.json')).mode & 0o777).toBe(0o600);
  client.close();
  await stop(second);
});

it('falls back to a free port when the remembered one is busy, and remembers the new one', async () => {
  const before = readServerIdentity(dataDir);
  const squatter = createServer();
  await new Promise<void>((done) => squatter.listen(before.port, '127.0.0.1', done));
  try {
    const server = await startLikeMain();
    expect(server.port).not.toBe(before.port);
    expect(readServerIdentity(dataDir)).toEqual({ port: server.port, token: before.token });
    await stop(server);
  } finally {
    await new Promise((done) => squatter.close(done));
  }
  // An explicit port is never swapped for another one, and --port 0 asks for a fresh one.
  expect(portToTry(5717, before)).toEqual({ port: 5717, fallback: false });
  expect(portToTry(0, before)).toEqual({ port: 0, fallback: false });
  expect(portToTry(null, {})).toEqual({ port: 0, fallback: true });
});
