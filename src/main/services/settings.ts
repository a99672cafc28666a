// Persistent settings behind one interface with two back ends: electron-store in the Electron
// shell, a JSON file in browser mode. Both validate what they read with the contract's schema, so
// a hand-edited or half-written file can never reach the renderer.
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { consoleLogger, type Handlers, type Logger } from './serviceTypes';

export const MAX_RECENT = 20;

export interface SettingsStore {
  get(): Settings;
  /** Merges the patch, validates the whole, persists it and returns the new settings. */
  update(patch: Partial<Settings>): Settings;
}

/** Most recent first, no duplicates, at most MAX_RECENT entries. */
export function pushRecent(list: readonly string[], path: string): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, MAX_RECENT);
}

export function addRecentFile(store: SettingsStore, path: string): Settings {
  return store.update({ recentFiles: pushRecent(store.get().recentFiles, path) });
}

export function addRecentProject(store: SettingsStore, path: string): Settings {
  return store.update({ recentProjects: pushRecent(store.get().recentProjects, path) });
}

/** Older files may lack newer keys: fill them from the defaults, then validate the whole. */
export function parseStoredSettings(raw: unknown): Settings | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const parsed = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...raw });
  return parsed.success ? parsed.data : null;
}

function mergeValidated(current: Settings, patch: Partial<Settings>): Settings {
  const parsed = SettingsSchema.safeParse({ ...current, ...patch });
  if (!parsed.success) {
    throw new StudioFailure('invalid_request', `Invalid settings: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`);
  }
  return parsed.data;
}

/** Write a file so that a crash leaves either the old or the new content, never half of one. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

/** Browser mode: `<dataDir>/settings.json`. A corrupt file is set aside and the defaults used. */
export class JsonSettingsStore implements SettingsStore {
  private current: Settings;

  constructor(
    readonly file: string,
    private readonly log: Logger = consoleLogger,
  ) {
    this.current = this.load();
  }

  static inDataDir(dataDir: string, log?: Logger): JsonSettingsStore {
    return new JsonSettingsStore(join(dataDir, 'settings.json'), log);
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  update(patch: Partial<Settings>): Settings {
    const next = mergeValidated(this.current, patch);
    writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.current = next;
    return this.get();
  }

  private load(): Settings {
    if (!existsSync(this.file)) return structuredClone(DEFAULT_SETTINGS);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      raw = undefined;
    }
    const settings = parseStoredSettings(raw);
    if (settings) return settings;
    const backup = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.file, backup);
      this.log.warn(`settings file ${this.file} was unreadable or invalid; moved it to ${backup} and using the defaults`);
    } catch (err) {
      this.log.error(`settings file ${this.file} was invalid and could not be moved aside; using the defaults`, err);
    }
    return structuredClone(DEFAULT_SETTINGS);
  }
}

/** The part of electron-store's API we use (it is Conf underneath). */
interface ElectronStoreLike {
  store: Record<string, unknown>;
}

/**
 * Electron shell only. electron-store imports `electron`, so it is loaded lazily: browser mode
 * never pulls it in (and plain Node would try to download Electron on import).
 */
export async function createElectronSettingsStore(cwd: string, log: Logger = consoleLogger): Promise<SettingsStore> {
  const { default: ElectronStore } = await import('electron-store');
  // NOTE: electron-store writes atomically itself (through `conf`), so no temp file here.
  const store = new ElectronStore({ name: 'settings', cwd, defaults: DEFAULT_SETTINGS, clearInvalidConfig: true }) as unknown as ElectronStoreLike;
  let current = parseStoredSettings(store.store);
  if (!current) {
    log.warn(`settings in ${cwd} were invalid; using the defaults`);
    current = structuredClone(DEFAULT_SETTINGS);
    store.store = { ...current };
  }
  let settings: Settings = current;
  return {
    get: () => structuredClone(settings),
    update(patch) {
      settings = mergeValidated(settings, patch);
      store.store = { ...settings };
      return structuredClone(settings);
    },
  };
}

export function settingsHandlers(store: SettingsStore): Handlers {
  return {
    'settings.get': () => store.get(),
    'settings.set': (patch) => store.update(patch),
  };
}
