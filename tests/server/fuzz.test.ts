// Thousands of hostile payloads to every channel, over the WebSocket and straight into the
// dispatcher: nothing may crash, every one is answered, invalid ones with invalid_request, and
// the server still answers afterwards.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createDispatcher } from '../../src/main/services/dispatcher';
import { exchange, openSocket, quietLog, startTestServer, type TestServer } from './helpers';
import { fuzzCases, GARBAGE_FRAMES } from './fuzzPayloads';

const COUNT = 3000;
const ALLOWED_CODES = new Set(['invalid_request', 'not_available', 'unknown_channel', 'not_found', 'busy']);

let t: TestServer;
let ws: WebSocket;

beforeAll(async () => {
  t = await startTestServer();
  ws = await openSocket(t.server.port, `?token=${t.server.token}`, { origin: t.server.origin });
});
afterAll(async () => {
  ws.close();
  await t.stop();
});

interface Tally {
  payloads: number;
  rejected: number;
  handled: number;
  crashes: number;
}

function tallyResult(tally: Tally, result: { ok: boolean; error?: { code: string } } | undefined): void {
  tally.payloads++;
  if (!result) tally.crashes++;
  else if (result.ok) tally.handled++;
  else if (result.error?.code === 'invalid_request') tally.rejected++;
  else if (ALLOWED_CODES.has(result.error?.code ?? '')) tally.handled++;
  else tally.crashes++;
}

it('survives fuzzed payloads over the WebSocket', async () => {
  const cases = fuzzCases(COUNT, 20231116);
  const replies = new Map<number, { ok: boolean; error?: { code: string } }>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean; error?: { code: string } } };
    if (typeof message.id === 'number' && message.result) replies.set(message.id, message.result);
  });
  // Batches of 100 stay under the server's 256-in-flight limit.
  for (let start = 0; start < cases.length; start += 100) {
    const batch = cases.slice(start, start + 100);
    batch.forEach((c, i) => ws.send(`{"id":${start + i},"channel":${JSON.stringify(c.channel)},"payload":${c.payloadJson}}`));
    await expect.poll(() => batch.every((_, i) => replies.has(start + i)), { timeout: 20_000, interval: 5 }).toBe(true);
  }
  const tally: Tally = { payloads: 0, rejected: 0, handled: 0, crashes: 0 };
  cases.forEach((_, i) => tallyResult(tally, replies.get(i)));
  for (const frame of GARBAGE_FRAMES) {
    const reply = await exchange(ws, frame, null);
    tallyResult(tally, reply.result as never);
    expect(reply.result.error?.code).toBe('invalid_request');
  }
  console.log(`fuzz: ${tally.payloads} payloads, ${tally.rejected} rejected, ${tally.handled} handled, ${tally.crashes} crashes (WebSocket)`);
  expect(tally.crashes).toBe(0);
  expect(tally.rejected).toBeGreaterThan(COUNT * 0.8);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const after = await exchange(ws, '{"id":"after","channel":"app.info","payload":{}}', 'after');
  expect(after.result.ok).toBe(true);
  expect(quietLog.errors).toEqual([]);
});

it('survives fuzzed payloads straight into the dispatcher', async () => {
  const dispatch = t.services.dispatcher.dispatch;
  const tally: Tally = { payloads: 0, rejected: 0, handled: 0, crashes: 0 };
  for (const c of fuzzCases(COUNT, 7)) {
    try {
      tallyResult(tally, await dispatch(c.channel, JSON.parse(c.payloadJson)));
    } catch {
      tally.payloads++;
      tally.crashes++;
    }
  }
  // Non-string channels and hostile channel names, with a dispatcher that has no handlers at all.
  const bare = createDispatcher({}, { log: quietLog });
  for (const channel of [undefined, null, 1, {}, [], '__proto__', 'hasOwnProperty', 'x'.repeat(10_000)]) {
    tallyResult(tally, await bare.dispatch(channel as string, {}));
  }
  console.log(`fuzz: ${tally.payloads} payloads, ${tally.rejected} rejected, ${tally.handled} handled, ${tally.crashes} crashes (dispatcher)`);
  expect(tally.crashes).toBe(0);
  expect(tally.rejected).toBeGreaterThan(COUNT * 0.8);
  expect(await dispatch('settings.get', {})).toMatchObject({ ok: true });
});
