// Loaders of the editor-workflow services: projects (with the demo project) and export. Kept apart
// from loaders.ts so each service group owns its wiring; SERVICE_LOADERS includes these.
import type { ServiceLoader } from './loaders';

const projectLoader: ServiceLoader = {
  name: 'project',
  channels: ['project.new', 'project.open', 'project.save', 'project.autosave', 'project.recent', 'project.demo', 'project.recoverable', 'project.recover', 'project.discardAutosave'],
  async load(ctx, provided) {
    const [{ ProjectService }, { makeDemoProject }] = await Promise.all([import('./projectService'), import('../demo/demoProject')]);
    const service = new ProjectService({
      dataDir: ctx.dataDir,
      settings: provided.settings ?? null,
      log: ctx.log,
      ensureDemo: () => makeDemoProject({ dataDir: ctx.dataDir, models: provided.models ?? null, emit: (e) => ctx.events.emit(e), log: ctx.log }),
    });
    return { handlers: service.handlers() };
  },
};

const exportLoader: ServiceLoader = {
  name: 'export',
  channels: ['export.start', 'export.cancel', 'shell.showItem'],
  async load(ctx, provided) {
    const [{ ExportService }, { locateMediaTools }, { desktopRevealer }] = await Promise.all([
      import('./exportService'),
      import('../media/locate'),
      import('./revealItem'),
    ]);
    const tools = await locateMediaTools();
    const service = new ExportService({
      dataDir: ctx.dataDir,
      emit: (event) => ctx.events.emit(event),
      ffmpeg: tools.ffmpeg ? { bin: tools.ffmpeg.path, version: tools.ffmpeg.version } : null,
      ffprobeBin: tools.ffprobe?.path ?? null,
      revealItem: provided.shell?.revealItem ?? (ctx.mode === 'browser' ? desktopRevealer() : null),
      trash: provided.shell?.trash,
    });
    return { handlers: service.handlers(), dispose: () => service.dispose() };
  },
};

export const EDITOR_LOADERS: readonly ServiceLoader[] = [projectLoader, exportLoader];
