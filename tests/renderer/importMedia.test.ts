// The import flow against a scripted StudioApi: the transport is the edge the renderer cannot run
// here, so it is the one thing faked. Stores are the real ones, reset before each test.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ImportedMedia, RequestOf, StudioApi, StudioEvent } from '../../src/shared/contract';
import { fail, ok, type Result } from '../../src/shared/result';
import { followImportProgress, importFiles, openMedia, sourceFromPath, importSources } from '../../src/renderer/import/importMedia';
import { createStore } from '../../src/renderer/state/createStore';
import { EMPTY_PROJECT } from '../../src/renderer/state/projectState';
import { projectStore, uiStore } from '../../src/renderer/state/stores';
import { INITIAL_UI } from '../../src/renderer/state/uiState';

type Handler = (input: unknown) => Result<unknown> | Promise<Result<unknown>>;

function fakeApi(handlers: Partial<Record<Channel, Handler>>) {
  const calls: { channel: Channel; input: unknown }[] = [];
  const listeners = new Set<(e: StudioEvent) => void>();
  const api: StudioApi = {
    request: (async <C extends Channel>(channel: C, input: RequestOf<C>) => {
      calls.push({ channel, input });
      const handler = handlers[channel];
      return handler ? handler(input) : fail('unknown_channel', `no handler for ${channel}`);
    }) as StudioApi['request'],
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    transport: {
      kind: 'browser',
      frameUrl: () => '',
      thumbUrl: () => '',
      pathForFile: async (file: File) => `/uploads/${file.name}`,
    },
  };
  return { api, calls, emit: (e: StudioEvent) => listeners.forEach((l) => l(e)) };
}

function imported(path: string, role: ImportedMedia['role'], warnings: string[] = []): ImportedMedia {
  return {
    id: `id:${path}`,
    role,
    warnings,
    info: { path, kind: role === 'reference' ? 'image' : 'video', width: 512, height: 512, fps: 25, frameCount: 42, durationSec: 1.68, hasAudio: false },
  };
}

const importEcho: Handler = (input) => {
  const { path, role } = input as { path: string; role: ImportedMedia['role'] };
  return ok(imported(path, role));
};

beforeEach(() => {
  projectStore.set(EMPTY_PROJECT);
  uiStore.set(INITIAL_UI);
});

describe('importFiles', () => {
  it('infers roles from the files and puts each on its track', async () => {
    const { api, calls } = fakeApi({ 'media.import': importEcho });
    await importFiles(api, [new File(['x'], 'running.mp4', { type: 'video/mp4' }), new File(['x'], 'monalisa.png', { type: 'image/png' })]);
    expect(calls.map((c) => c.input)).toEqual([
      { path: '/uploads/running.mp4', role: 'motion' },
      { path: '/uploads/monalisa.png', role: 'reference' },
    ]);
    expect(projectStore.get().motion?.info.path).toBe('/uploads/running.mp4');
    expect(projectStore.get().reference?.info.path).toBe('/uploads/monalisa.png');
    // The timeline shows the name the person chose, not the upload's main-side name.
    expect(projectStore.get().names['id:/uploads/running.mp4']).toBe('running.mp4');
    expect(uiStore.get().imports).toEqual([]);
    expect(uiStore.get().errors).toEqual([]);
  });

  it('uses the track dropped on: a video on the Audio track is imported as audio', async () => {
    const { api, calls } = fakeApi({ 'media.import': importEcho });
    await importFiles(api, [new File(['x'], 'demo4.mp4', { type: 'video/mp4' })], 'audio');
    expect(calls[0].input).toEqual({ path: '/uploads/demo4.mp4', role: 'audio' });
    expect(projectStore.get().audio?.id).toBe('id:/uploads/demo4.mp4');
  });

  it('shows the envelope error and leaves the project unchanged', async () => {
    const { api } = fakeApi({
      'media.probe': () => fail('unsupported_media', 'notes.txt is not a video, image or audio file.'),
      'media.import': importEcho,
    });
    await importFiles(api, [new File(['x'], 'running.mp4', { type: 'video/mp4' })]);
    const before = projectStore.get();
    await importFiles(api, [new File(['hello'], 'notes.txt', { type: 'text/plain' })]);
    expect(projectStore.get()).toBe(before);
    expect(uiStore.get().errors).toHaveLength(1);
    expect(uiStore.get().errors[0]).toMatchObject({ title: 'Could not import notes.txt', code: 'unsupported_media', message: 'notes.txt is not a video, image or audio file.' });
    expect(uiStore.get().imports).toEqual([]);
  });

  it('probes a file of unknown kind to pick its role', async () => {
    const { api, calls } = fakeApi({
      'media.probe': () => ok({ ...imported('/uploads/clip', 'motion').info, kind: 'image' }),
      'media.import': importEcho,
    });
    await importFiles(api, [new File(['x'], 'clip', { type: '' })]);
    expect(calls.map((c) => c.channel)).toEqual(['media.probe', 'media.import']);
    expect(calls[1].input).toEqual({ path: '/uploads/clip', role: 'reference' });
  });

  it('turns warnings into notices and a transport failure into an error', async () => {
    const { api } = fakeApi({ 'media.import': () => ok(imported('/uploads/a.mp4', 'motion', ['This clip does not look like DensePose.'])) });
    await importFiles(api, [new File(['x'], 'a.mp4', { type: 'video/mp4' })]);
    expect(projectStore.get().motion).not.toBeNull();
    expect(uiStore.get().notices.map((n) => n.message)).toEqual(['This clip does not look like DensePose.']);

    api.transport.pathForFile = async () => {
      throw new Error('upload refused: the file is empty');
    };
    await importFiles(api, [new File([], 'empty.mp4', { type: 'video/mp4' })]);
    expect(uiStore.get().errors[0].message).toBe('upload refused: the file is empty');
  });

  it('reports media.progress for the import decoding that path', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = fakeApi({ 'media.import': async (input) => (await gate, importEcho(input)) });
    const stop = followImportProgress(fake.api);
    const done = importFiles(fake.api, [new File(['x'], 'running.mp4', { type: 'video/mp4' })]);
    await new Promise((r) => setTimeout(r, 0));
    fake.emit({ type: 'media.progress', path: '/uploads/running.mp4', decoded: 10, total: 42 });
    fake.emit({ type: 'media.progress', path: '/elsewhere.mp4', decoded: 1, total: 2 });
    expect(uiStore.get().imports).toMatchObject([{ fileName: 'running.mp4', role: 'motion', decoded: 10, total: 42 }]);
    release();
    await done;
    stop();
    expect(uiStore.get().imports).toEqual([]);
  });
});

describe('openMedia', () => {
  it('imports the paths the native dialog returns', async () => {
    const { api, calls } = fakeApi({ 'dialog.open': () => ok({ paths: ['C:\\clips\\demo4.mp4'] }), 'media.import': importEcho });
    let picked = false;
    await openMedia(api, () => (picked = true));
    expect(picked).toBe(false);
    expect(calls[1].input).toEqual({ path: 'C:\\clips\\demo4.mp4', role: 'motion' });
  });

  it('falls back to the file picker when there is no native dialog', async () => {
    const { api } = fakeApi({ 'dialog.open': () => fail('not_available', 'No native dialogs in browser mode.') });
    let picked = false;
    await openMedia(api, () => (picked = true));
    expect(picked).toBe(true);
    expect(uiStore.get().errors).toEqual([]);
  });

  it('sources from paths keep their names for messages', async () => {
    const { api } = fakeApi({ 'media.import': () => fail('corrupt_media', 'The file ends early.') });
    await importSources(api, [sourceFromPath('/x/truncated.mp4')]);
    expect(uiStore.get().errors[0].title).toBe('Could not import truncated.mp4');
  });
});

describe('createStore', () => {
  it('notifies on real changes only, and unsubscribes', () => {
    const store = createStore(1);
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    store.set(1);
    store.set((n) => n + 1);
    expect(store.get()).toBe(2);
    expect(calls).toBe(1);
    stop();
    store.set(3);
    expect(calls).toBe(1);
  });
});
