import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { exchange, openSocket, rawRequest, startTestServer, type TestServer } from './helpers';

let t: TestServer;
let port: number;
let token: string;
let origin: string;

beforeAll(async () => {
  t = await startTestServer({ maxUploadBytes: 64 * 1024 });
  ({ port, token, origin } = t.server);
  // A built renderer and one cached frame per kind, plus a secret outside the frame roots.
  mkdirSync(join(t.rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(t.rendererDir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  writeFileSync(join(t.rendererDir, 'assets', 'app.js'), 'console.log(1)');
  mkdirSync(join(t.dataDir, 'cache', 'abc'), { recursive: true });
  writeFileSync(join(t.dataDir, 'cache', 'abc', '3.jpg'), 'JPEGDATA');
  mkdirSync(join(t.dataDir, 'jobs', 'job1', 'final'), { recursive: true });
  writeFileSync(join(t.dataDir, 'jobs', 'job1', 'final', '0.png'), 'PNGDATA');
  writeFileSync(join(t.dataDir, '..', `${relative(join(t.dataDir, '..'), t.dataDir)}-secret.txt`), 'SECRET');
  symlinkSync('/etc/hostname', join(t.dataDir, 'cache', 'abc', '4.jpg'));
});
afterAll(async () => t.stop());

describe('HTTP access control', () => {
  it('refuses requests without or with a wrong token', async () => {
    expect((await rawRequest(port, '/')).status).toBe(401);
    expect((await rawRequest(port, '/frames/media/abc/3.jpg')).status).toBe(401);
    expect((await rawRequest(port, `/?token=${token}x`)).status).toBe(401);
    expect((await rawRequest(port, '/', { headers: { 'x-studio-token': 'nope' } })).status).toBe(401);
  });

  it('serves the page with the token, injects it, sets CSP and a cookie for sub-resources', async () => {
    const res = await rawRequest(port, `/?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain(`<meta name="studio-token" content="${token}">`);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const asset = await rawRequest(port, '/assets/app.js', { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect((await rawRequest(port, '/assets/app.js')).status).toBe(401);
  });

  it('refuses foreign origins and foreign Host headers even with the token', async () => {
    const evil = await rawRequest(port, `/?token=${token}`, { headers: { origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    const otherPort = await rawRequest(port, `/?token=${token}`, { headers: { origin: `http://127.0.0.1:${port + 1}` } });
    expect(otherPort.status).toBe(403);
    const rebound = await rawRequest(port, `/?token=${token}`, { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect((await rawRequest(port, `/?token=${token}`, { headers: { origin } })).status).toBe(200);
  });

  it('serves frames through the resolvers and refuses traversal in every spelling', async () => {
    const frame = await rawRequest(port, `/frames/media/abc/3.jpg?token=${token}`);
    expect(frame.status).toBe(200);
    expect(frame.headers['content-type']).toBe('image/jpeg');
    expect(frame.body.toString()).toBe('JPEGDATA');
    const job = await rawRequest(port, `/frames/job/job1/final/0.png?token=${token}`);
    expect(job.body.toString()).toBe('PNGDATA');
    expect((await rawRequest(port, `/frames/media/abc/9.jpg?token=${token}`)).status).toBe(404);
    const attacks = [
      '/frames/media/../../../etc/passwd',
      '/frames/media/..%2f..%2fsecret/0.jpg',
      '/frames/media/%2e%2e/0.jpg',
      '/frames/media/%2E%2E/%2E%2E/0.jpg',
      '/frames/media/%252e%252e/0.jpg',
      '/frames/job/..%5c..%5cx/final/0.png',
      '/thumbs/abc/..%2f..%2f..%2fsecret.jpg',
      '/frames/media/abc%00/3.jpg',
      '/assets/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
    ];
    for (const path of attacks) {
      const res = await rawRequest(port, `${path}?token=${token}`);
      expect([400, 404], path).toContain(res.status);
      expect(res.body.toString(), path).not.toMatch(/SECRET|root:/);
    }
    // A symlink inside the cache pointing outside the roots is not followed out.
    expect((await rawRequest(port, `/frames/media/abc/4.jpg?token=${token}`)).status).toBe(404);
  });
});

describe('upload', () => {
  it('streams the body under <dataDir>/imports with a sanitised name', async () => {
    const body = Buffer.alloc(10_000, 7);
    const res = await rawRequest(port, `/upload?token=${token}&name=${encodeURIComponent('../My clip!.mp4')}`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/octet-stream' },
      body,
    });
    expect(res.status).toBe(200);
    const { value } = JSON.parse(res.body.toString()) as { value: { path: string } };
    expect(value.path.startsWith(join(t.dataDir, 'imports'))).toBe(true);
    expect(value.path).toMatch(/[0-9a-f]{16}-My_clip_\.mp4$/);
    expect(statSync(value.path).size).toBe(10_000);
    expect(readFileSync(value.path).equals(body)).toBe(true);
  });

  it('refuses uploads without an Origin, from foreign origins, or over the limit', async () => {
    const path = `/upload?token=${token}&name=a.bin`;
    expect((await rawRequest(port, path, { method: 'POST', body: 'x' })).status).toBe(403);
    expect((await rawRequest(port, path, { method: 'POST', headers: { origin: 'http://evil.example' }, body: 'x' })).status).toBe(403);
    const big = await rawRequest(port, path, { method: 'POST', headers: { origin }, body: Buffer.alloc(65 * 1024) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString()).error.code).toBe('media_too_large');
  });
});

describe('WebSocket', () => {
  let ws: WebSocket;
  beforeAll(async () => {
    ws = await openSocket(port, `?token=${token}`, { origin });
  });
  afterAll(() => ws.close());

  it('refuses upgrades without the token or from a foreign origin', async () => {
    await expect(openSocket(port, '')).rejects.toThrow('status 401');
    await expect(openSocket(port, `?token=${token}`, { origin: 'http://evil.example' })).rejects.toThrow('status 403');
  });

  it('answers app.info and settings round trips', async () => {
    const info = await exchange(ws, JSON.stringify({ id: 1, channel: 'app.info', payload: {} }), 1);
    expect(info.result.ok).toBe(true);
    expect(info.result.value).toMatchObject({ mode: 'browser', version: '0.0.0-test', dataDir: t.dataDir });
    const set = await exchange(ws, JSON.stringify({ id: 'b', channel: 'settings.set', payload: { timelineZoom: 2.5, language: 'ja' } }), 'b');
    expect(set.result).toMatchObject({ ok: true, value: { timelineZoom: 2.5, language: 'ja' } });
    const get = await exchange(ws, JSON.stringify({ id: 3, channel: 'settings.get', payload: {} }), 3);
    expect(get.result.value).toMatchObject({ timelineZoom: 2.5, language: 'ja' });
    expect(JSON.parse(readFileSync(join(t.dataDir, 'settings.json'), 'utf8')).timelineZoom).toBe(2.5);
  });

  it('answers malformed messages with errors and keeps serving', async () => {
    const cases: [string, string | number | null, string][] = [
      ['{not json', null, 'invalid_request'],
      ['[1,2]', null, 'invalid_request'],
      ['{"channel":"app.info"}', null, 'invalid_request'],
      ['{"id":7,"channel":42}', 7, 'invalid_request'],
      ['{"id":8,"channel":"nope","payload":{}}', 8, 'unknown_channel'],
      ['{"id":9,"channel":"settings.set","payload":{"threads":-1}}', 9, 'invalid_request'],
      ['{"id":10,"channel":"dialog.open","payload":{"kind":"media"}}', 10, 'not_available'],
      [JSON.stringify({ id: 11, channel: 'app.info', payload: 'x'.repeat(2 * 1024 * 1024) }), null, 'invalid_request'],
    ];
    for (const [text, id, code] of cases) {
      const reply = await exchange(ws, text, id);
      expect(reply.result.ok, text.slice(0, 60)).toBe(false);
      expect(reply.result.error?.code, text.slice(0, 60)).toBe(code);
    }
    const bad = await exchange(ws, '{"id":12,"channel":"settings.set","payload":{"threads":-1}}', 12);
    expect(bad.result.error?.message).toMatch(/threads/);
    const after = await exchange(ws, JSON.stringify({ id: 99, channel: 'settings.get', payload: {} }), 99);
    expect(after.result.ok).toBe(true);
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it('pushes events to connected clients', async () => {
    const received = new Promise<unknown>((resolve) => {
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { event?: unknown };
        if (message.event) resolve(message.event);
      });
    });
    t.services.events.emit({ type: 'render.log', jobId: 'j', level: 'info', message: 'hello' });
    expect(await received).toEqual({ type: 'render.log', jobId: 'j', level: 'info', message: 'hello' });
  });
});
