// Wires every main-side service into one dispatcher, one event hub and one frame resolver. Both
// shells (Electron and browser mode) call `createServices`; they differ only in transport.
// Optional services are loaded one by one: a service that is missing or fails to start leaves its
// channels answering not_available with the reason, instead of taking the app down.
import { resolve } from 'node:path';
import type { Channel } from '../../shared/contract';
import { appInfoHandlers, type AppInfoOptions } from './appInfo';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { createEventHub } from './eventHub';
import { addRecentFile, settingsHandlers, type SettingsStore } from './settings';
import { consoleLogger, type EventHub, type FrameSource, type Handlers, type Logger, type ServiceContext } from './serviceTypes';
import { SERVICE_LOADERS, type ProvidedServices, type ServiceLoader, type ServiceModule } from './loaders';

export type { ProvidedServices, ServiceLoader, ServiceModule } from './loaders';

export interface ServicesOptions {
  mode: ServiceContext['mode'];
  version: string;
  dataDir: string;
  settings: SettingsStore;
  log?: Logger;
  /** Handlers only one shell can provide (Electron: native dialogs). */
  shellHandlers?: Handlers;
  /** Shell capabilities services use (Electron: `{ revealItem: (f) => shell.showItemInFolder(f) }`). */
  shell?: ProvidedServices['shell'];
  /** Defaults to SERVICE_LOADERS; tests pass their own. */
  loaders?: readonly ServiceLoader[];
  appInfo?: AppInfoOptions;
}

export interface Services {
  ctx: ServiceContext;
  dispatcher: Dispatcher;
  events: EventHub;
  settings: SettingsStore;
  /** Resolves frame/thumbnail ids to files; the shells confine results to `frameRoots`. */
  frames: FrameSource;
  frameRoots: string[];
  /** Names of optional services that failed to load, with the reason. */
  failed: { name: string; reason: string }[];
  dispose(): Promise<void>;
}

const SHELL_ONLY_REASONS: Partial<Record<Channel, string>> = {
  'dialog.open': 'Native file dialogs need the desktop app; use the file picker instead.',
  'dialog.save': 'Native save dialogs need the desktop app; the export is saved into the data folder instead.',
  'dialog.confirm': 'Native message boxes need the desktop app; the editor asks in its own dialog instead.',
};

/** Records imported files in the recent list without the media service knowing about settings. */
function withRecentFiles(handlers: Handlers, settings: SettingsStore, log: Logger): Handlers {
  const importMedia = handlers['media.import'];
  if (!importMedia) return handlers;
  return {
    ...handlers,
    'media.import': async (input) => {
      const imported = await importMedia(input);
      try {
        addRecentFile(settings, input.path);
      } catch (err) {
        log.warn(`could not record ${input.path} in the recent files: ${(err as Error).message}`);
      }
      return imported;
    },
  };
}

function mergeFrameSources(sources: FrameSource[]): FrameSource {
  const first = <K extends keyof FrameSource>(key: K) => sources.find((s) => typeof s[key] === 'function')?.[key];
  return { framePath: first('framePath'), thumbPath: first('thumbPath'), jobFramePath: first('jobFramePath') };
}

async function loadModules(
  loaders: readonly ServiceLoader[],
  ctx: ServiceContext,
  provided: ProvidedServices,
): Promise<{ modules: ServiceModule[]; failed: Services['failed']; reasons: Partial<Record<Channel, string>> }> {
  const modules: ServiceModule[] = [];
  const failed: Services['failed'] = [];
  const reasons: Partial<Record<Channel, string>> = {};
  for (const loader of loaders) {
    try {
      modules.push(await loader.load(ctx, provided));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      ctx.log.error(`the ${loader.name} service did not start; its requests will answer not_available`, err);
      failed.push({ name: loader.name, reason });
      for (const channel of loader.channels) reasons[channel] = `The ${loader.name} service is unavailable: ${reason}`;
    }
  }
  return { modules, failed, reasons };
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const log = options.log ?? consoleLogger;
  const events = createEventHub(log);
  const ctx: ServiceContext = { mode: options.mode, version: options.version, dataDir: resolve(options.dataDir), events, log };
  const { modules, failed, reasons } = await loadModules(options.loaders ?? SERVICE_LOADERS, ctx, {
    settings: options.settings,
    shell: options.shell,
  });

  let handlers: Handlers = {
    ...appInfoHandlers(ctx, options.appInfo),
    ...settingsHandlers(options.settings),
  };
  for (const module of modules) handlers = { ...handlers, ...module.handlers };
  handlers = withRecentFiles({ ...handlers, ...options.shellHandlers }, options.settings, log);

  const dispatcher = createDispatcher(handlers, { log, unavailable: { ...SHELL_ONLY_REASONS, ...reasons } });
  const frameRoots = [ctx.dataDir, ...modules.flatMap((m) => m.roots ?? []).map((r) => resolve(r))];
  return {
    ctx,
    dispatcher,
    events,
    settings: options.settings,
    frames: mergeFrameSources(modules.flatMap((m) => (m.frames ? [m.frames] : []))),
    frameRoots,
    failed,
    async dispose() {
      for (const module of modules.reverse()) {
        try {
          await module.dispose?.();
        } catch (err) {
          log.error('a service failed to shut down cleanly', err);
        }
      }
    },
  };
}
