// The Electron preload: exposes StudioApi as `window.studio` and nothing else. It runs sandboxed
// (CommonJS, no Node), so it imports only types from the contract plus two tiny pure modules;
// validation happens in the main process, which owns the dispatcher.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Channel, RequestOf, ResponseOf, StudioApi, StudioEvent } from '../shared/contract';
import { framePath, thumbPath } from '../shared/frameUrls';
import { fail, type Result } from '../shared/result';

/** Must match EVENT_CHANNEL in src/main/index.ts. */
const EVENT_CHANNEL = 'studio:event';

async function request<C extends Channel>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  try {
    return (await ipcRenderer.invoke(channel, input)) as Result<ResponseOf<C>>;
  } catch {
    // NOTE: invoke rejects when no handler is registered for the channel (or the main process
    // is shutting down); keep the never-throws promise of the contract.
    return fail('unknown_channel', `Unknown request channel "${String(channel).slice(0, 80)}".`);
  }
}

const api: StudioApi = {
  request,
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, payload: StudioEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
  transport: {
    kind: 'electron',
    // studio://frames/media/<id>/<n>.jpg — the host is the first path segment of the HTTP scheme.
    frameUrl: (source, index) => `studio:/${framePath(source, index)}`,
    thumbUrl: (mediaId, index) => `studio:/${thumbPath(mediaId, index)}`,
    async pathForFile(file) {
      const path = webUtils.getPathForFile(file);
      if (!path) throw new Error(`"${file.name}" is not a file on disk (was it pasted or generated?).`);
      return path;
    },
  },
};

contextBridge.exposeInMainWorld('studio', api);
