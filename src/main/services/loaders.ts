// The optional services and how to start each one. A loader imports its module lazily, so a
// service whose dependencies are broken (a missing native binary, say) fails alone, at start-up,
// with its reason reported through not_available. Loaders run in order; a later one may use what
// an earlier one put in `provided` (the render service needs the media service's paths).
// Add new services (render, export, models) here as they land.
import type { Channel } from '../../shared/contract';
import { dataPaths } from '../paths';
import { EDITOR_LOADERS } from './editorLoaders';
import type { MediaService } from './mediaService';
import type { ModelsService } from './models';
import type { MoveToTrash } from '../files/trash';
import type { RevealItem } from './revealItem';
import type { SettingsStore } from './settings';
import type { WorkerSpawner } from '../worker/host';
import type { CompileSpawner } from '../worker/compileHost';
import type { FrameSource, Handlers, ServiceContext } from './serviceTypes';

export interface ServiceModule {
  handlers: Handlers;
  frames?: FrameSource;
  /** Extra folders (besides the data dir) its frame paths may point into. */
  roots?: string[];
  dispose?(): void | Promise<void>;
}

/** Service instances other services may depend on. */
export interface ProvidedServices {
  media?: MediaService;
  models?: ModelsService;
  /** The settings store (recent lists), from createServices. */
  settings?: SettingsStore;
  /** What only a shell can do (Electron: shell.showItemInFolder), from createServices. */
  shell?: { revealItem: RevealItem; trash?: MoveToTrash; workerSpawner?: WorkerSpawner; compileSpawner?: CompileSpawner };
}

export interface ServiceLoader {
  name: string;
  /** The channels it serves: they answer not_available with the reason if loading fails. */
  channels: readonly Channel[];
  load(ctx: ServiceContext, provided: ProvidedServices): Promise<ServiceModule>;
}

const mediaLoader: ServiceLoader = {
  name: 'media',
  channels: ['media.probe', 'media.import', 'media.peaks'],
  async load(ctx, provided) {
    const [{ MediaService }, { locateMediaTools }] = await Promise.all([import('./mediaService'), import('../media/locate')]);
    const media = new MediaService({ cacheDir: dataPaths(ctx.dataDir).cache, emit: (event) => ctx.events.emit(event), tools: await locateMediaTools() });
    provided.media = media;
    return {
      handlers: media.handlers(),
      frames: { framePath: (id, n) => media.framePath(id, n), thumbPath: (id, n) => media.thumbPath(id, n) },
    };
  },
};

const modelsLoader: ServiceLoader = {
  name: 'models',
  channels: ['models.list', 'models.import', 'models.cancelImport', 'models.remove'],
  async load(ctx, provided) {
    const { ModelsService } = await import('./models');
    // NOTE: imports compile in a child; an Electron shell may pass a utilityProcess spawner
    // (compileHost.utilityCompileSpawner), otherwise Node is forked with tsx as in browser mode.
    const models = new ModelsService(ctx.dataDir, ctx.log, { emit: (event) => ctx.events.emit(event), compileSpawner: provided.shell?.compileSpawner });
    provided.models = models; // the demo project shares its one demo-model build
    return { handlers: models.handlers(), dispose: () => models.dispose() };
  },
};

const renderLoader: ServiceLoader = {
  name: 'render',
  channels: ['render.start', 'render.cancel', 'render.resume', 'render.job'],
  async load(ctx, provided) {
    const [{ RenderService }, { locateMediaTools }, { forkSpawner }] = await Promise.all([import('./renderService'), import('../media/locate'), import('../worker/host')]);
    const tools = await locateMediaTools();
    const render = new RenderService({
      dataDir: ctx.dataDir,
      emit: (event) => ctx.events.emit(event),
      // NOTE: the Electron shell passes a utilityProcess spawner; browser mode forks Node.
      spawner: provided.shell?.workerSpawner ?? forkSpawner(),
      ffmpeg: tools.ffmpeg ? { bin: tools.ffmpeg.path, version: tools.ffmpeg.version } : null,
      ffprobeBin: tools.ffprobe?.path ?? null,
    });
    return {
      handlers: render.handlers(),
      frames: { jobFramePath: (jobId, kind, index) => render.jobFramePath(jobId, kind, index) },
      dispose: () => render.dispose(),
    };
  },
};

export const SERVICE_LOADERS: readonly ServiceLoader[] = [mediaLoader, modelsLoader, renderLoader, ...EDITOR_LOADERS];
