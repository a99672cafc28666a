// Issue "Model compiler" / "Editor workflow": the app's Import model action. The tiny checkpoint set
// is compiled through the service, in a real forked child, and the event stream is checked: progress
// in order, exactly one done, nothing after it; cancel and a crashed child leave no folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/services/dispatcher';
import { ModelsService } from '../../src/main/services/models';
import type { Logger } from '../../src/main/services/serviceTypes';
import { forkCompileSpawner } from '../../src/main/worker/compileHost';
import type { EventOf, StudioEvent } from '../../src/shared/contract';

const TINY = path.resolve('../shared/fixtures/magicanimate-tiny/tiny');
const SET = {
  sd15Dir: path.join(TINY, 'stable-diffusion-v1-5'),
  vaeDir: path.join(TINY, 'sd-vae-ft-mse'),
  magicAnimateDir: path.join(TINY, 'MagicAnimate'),
  textEmbeddingPath: path.join(TINY, 'text_embedding.safetensors'),
  precision: 'fp32' as const,
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-import-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** A service on a fresh data folder, with every event it emits recorded. */
function setup(name: string, options: { compileSpawner?: ReturnType<typeof forkCompileSpawner> } = {}) {
  const dataDir = path.join(tmp, name);
  const events: StudioEvent[] = [];
  const listeners: ((event: StudioEvent) => void)[] = [];
  const service = new ModelsService(dataDir, quiet, { ...options, emit: (e) => (events.push(e), listeners.forEach((l) => l(e))) });
  const dispatcher = createDispatcher(service.handlers(), { log: quiet });
  const doneOf = (importId: string) =>
    new Promise<EventOf<'models.done'>>((resolve) => {
      const seen = events.find((e): e is EventOf<'models.done'> => e.type === 'models.done' && e.importId === importId);
      if (seen) return resolve(seen);
      listeners.push((e) => e.type === 'models.done' && e.importId === importId && resolve(e));
    });
  const ofImport = (importId: string) => events.filter((e) => 'importId' in e && e.importId === importId);
  return { dataDir, modelsDir: path.join(dataDir, 'models'), events, listeners, service, dispatcher, doneOf, ofImport };
}

async function startImport(t: ReturnType<typeof setup>, payload: Record<string, unknown>): Promise<string> {
  const reply = await t.dispatcher.dispatch('models.import', payload);
  if (!reply.ok) throw new Error(`models.import failed: ${reply.error.message}`);
  return (reply.value as { importId: string }).importId;
}

describe('models.import', () => {
  const t = setup('main');

  it('compiles the tiny set in a child: progress in order, one done, then listed at 128 px', async () => {
    const importId = await startImport(t, { ...SET, name: 'Tiny Set' });
    const done = await t.doneOf(importId);
    await new Promise((r) => setTimeout(r, 200)); // anything late would show up here
    const stream = t.ofImport(importId);
    expect(stream.filter((e) => e.type === 'models.done')).toHaveLength(1);
    expect(stream.at(-1)).toBe(done);
    expect(done.status, JSON.stringify(done.error)).toBe('success');
    expect(done.model).toMatchObject({ id: 'tiny-set', name: 'Tiny Set', width: 128, height: 128, precision: 'fp32', configName: 'tiny' });

    const progress = stream.filter((e): e is EventOf<'models.progress'> => e.type === 'models.progress');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress[0].network).toBe('text-embedding');
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
    const networks = [...new Set(progress.map((p) => p.network))];
    expect(networks).toEqual(expect.arrayContaining(['text-embedding', 'unet3d', 'controlnet', 'manifest']));
    expect(progress.find((p) => p.network === 'unet3d')?.message).toMatch(/Writing unet3d \(network \d of \d/);

    const listed = await t.service.list();
    expect(listed.map((m) => m.id)).toEqual(['demo', 'tiny-set']);
    expect(listed[1]).toMatchObject({ name: 'Tiny Set', width: 128, height: 128, dir: path.join(t.modelsDir, 'tiny-set') });
    expect(listed[1].sizeBytes).toBeGreaterThan(1_000_000);
    expect(listed[1].source).toContain(TINY);
    expect(fs.readdirSync(t.modelsDir).sort()).toEqual(['demo', 'tiny-set']);
  });

  it('refuses a name already in use (case-insensitive) and the demo name', async () => {
    for (const name of ['tiny set', 'Demo']) {
      const reply = await t.dispatcher.dispatch('models.import', { ...SET, name });
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/already exists|reserved/) });
    }
  });

  it('names the missing file when a folder is the wrong one (the VAE folder as SD1.5)', async () => {
    const reply = await t.dispatcher.dispatch('models.import', { ...SET, sd15Dir: SET.vaeDir, name: 'Wrong' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'model_missing', message: `missing SD1.5 unet config: ${path.join(SET.vaeDir, 'unet', 'config.json')}` } });
    const relative = await t.dispatcher.dispatch('models.import', { ...SET, vaeDir: 'sd-vae-ft-mse', name: 'Wrong' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('absolute path') } });
    expect(fs.existsSync(path.join(t.modelsDir, 'wrong'))).toBe(false);
  });

  it('reports a checkpoint that does not fit through one error done naming the file and key', async () => {
    const maDir = path.join(tmp, 'MagicAnimate-swapped');
    fs.cpSync(SET.magicAnimateDir, maDir, { recursive: true });
    const appearance = path.join(maDir, 'appearance_encoder', 'diffusion_pytorch_model.safetensors');
    fs.copyFileSync(path.join(maDir, 'densepose_controlnet', 'diffusion_pytorch_model.safetensors'), appearance);
    const importId = await startImport(t, { ...SET, magicAnimateDir: maDir, name: 'Swapped' });
    const done = await t.doneOf(importId);
    expect(done.status).toBe('error');
    expect(done.error?.message).toContain(appearance);
    expect(done.error?.message).toMatch(/missing weight "up_blocks\.[^"]+"/);
    expect(t.ofImport(importId).filter((e) => e.type === 'models.done')).toHaveLength(1);
    expect(fs.readdirSync(t.modelsDir).filter((f) => f.startsWith('swapped'))).toEqual([]);
  });

  it('cancel mid-import kills the child: one aborted done, no folder, nothing after', async () => {
    const u = setup('cancel');
    let importId = '';
    let cancelReply: unknown = null;
    // Cancel as soon as the first network is being written.
    u.listeners.push((e) => {
      if (e.type === 'models.progress' && e.network !== 'text-embedding' && cancelReply === null) {
        cancelReply = 'pending';
        void u.dispatcher.dispatch('models.cancelImport', { importId }).then((r) => (cancelReply = r));
      }
    });
    importId = await startImport(u, { ...SET, name: 'Cancelled' });
    const done = await u.doneOf(importId);
    await new Promise((r) => setTimeout(r, 300));
    expect(cancelReply).toEqual({ ok: true, value: { cancelled: true } });
    expect(done.status).toBe('aborted');
    const stream = u.ofImport(importId);
    expect(stream.filter((e) => e.type === 'models.done')).toHaveLength(1);
    expect(stream.at(-1)).toBe(done);
    expect(fs.existsSync(u.modelsDir) ? fs.readdirSync(u.modelsDir) : []).toEqual([]);
    expect(await u.dispatcher.dispatch('models.cancelImport', { importId })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('a child that dies without answering gives one worker_crashed done', async () => {
    const crasher = path.join(tmp, 'crash.mjs');
    fs.writeFileSync(crasher, 'process.exit(3);\n');
    const u = setup('crash', { compileSpawner: forkCompileSpawner({ entry: crasher }) });
    const importId = await startImport(u, { ...SET, name: 'Crashing' });
    const done = await u.doneOf(importId);
    expect(done).toMatchObject({ status: 'error', error: { code: 'worker_crashed', message: expect.stringContaining('exit code 3') } });
    expect(u.ofImport(importId)).toHaveLength(1);
  });

  it('models.remove deletes the folder; removing it again is not_found', async () => {
    expect(await t.dispatcher.dispatch('models.remove', { id: 'tiny-set' })).toEqual({ ok: true, value: { removed: true } });
    expect(fs.readdirSync(t.modelsDir)).toEqual(['demo']);
    expect(await t.dispatcher.dispatch('models.remove', { id: 'tiny-set' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await t.dispatcher.dispatch('models.remove', { id: '../demo' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
