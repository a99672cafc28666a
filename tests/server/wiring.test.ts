// The default service wiring: the real media service behind the real server (ffmpeg on a small
// sample image), the recent-files hook, and a service that fails to load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startStudioServer, type StudioServer } from '../../src/main/server/server';
import { createServices, type Services } from '../../src/main/services/index';
import { JsonSettingsStore } from '../../src/main/services/settings';
import { exchange, openSocket, quietLog, rawRequest } from './helpers';

const MONALISA = resolve(import.meta.dirname, '../../../shared/data/magicanimate-samples/monalisa.png');

let dataDir: string;
let services: Services;
let server: StudioServer;
let ws: WebSocket;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mas-wiring-'));
  services = await createServices({ mode: 'browser', version: 't', dataDir, settings: JsonSettingsStore.inDataDir(dataDir, quietLog), log: quietLog });
  server = await startStudioServer({ services, rendererDir: join(dataDir, 'none'), port: 0, log: quietLog });
  ws = await openSocket(server.port, `?token=${server.token}`, { origin: server.origin });
});
afterAll(async () => {
  ws.close();
  await server.close();
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it('imports media through the media service, serves its frame, and records the recent file', async () => {
  expect(services.failed).toEqual([]);
  const reply = await exchange(ws, JSON.stringify({ id: 1, channel: 'media.import', payload: { path: MONALISA, role: 'reference' } }), 1);
  expect(reply.result.ok, JSON.stringify(reply.result.error)).toBe(true);
  const { id } = reply.result.value as { id: string };
  const frame = await rawRequest(server.port, `/frames/media/${id}/0.jpg?token=${server.token}`);
  expect(frame.status).toBe(200);
  expect(frame.headers['content-type']).toBe('image/jpeg');
  expect(frame.body.subarray(0, 2).toString('hex')).toBe('ffd8'); // a JPEG
  expect((await rawRequest(server.port, `/frames/media/${id}/1.jpg?token=${server.token}`)).status).toBe(404);
  expect(services.settings.get().recentFiles[0]).toBe(MONALISA);
});

it('answers not_available with the reason when a service fails to load', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mas-wiring-'));
  const broken = await createServices({
    mode: 'browser',
    version: 't',
    dataDir: dir,
    settings: JsonSettingsStore.inDataDir(dir, quietLog),
    log: quietLog,
    loaders: [
      {
        name: 'media',
        channels: ['media.probe'],
        load: async () => {
          throw new Error('ffprobe exploded');
        },
      },
    ],
  });
  expect(broken.failed).toEqual([{ name: 'media', reason: 'ffprobe exploded' }]);
  expect(await broken.dispatcher.dispatch('media.probe', { path: '/x' })).toEqual({
    ok: false,
    error: { code: 'not_available', message: 'The media service is unavailable: ffprobe exploded' },
  });
  expect(await broken.dispatcher.dispatch('app.info', {})).toMatchObject({ ok: true });
  rmSync(dir, { recursive: true, force: true });
});
