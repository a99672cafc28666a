// The project channels: project.new / open / save / autosave / recent / demo, and the recovery of
// autosaves (recoverable / recover / discardAutosave). Files are read and written by
// src/main/project (relative paths, atomic saves with a `.bak`); this service adds the recent list
// (kept by the settings store), save ordering and the demo project. Electron-free.
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RequestOf, ResponseOf } from '../../shared/contract';
import { PROJECT_EXTENSION, type OpenedProject, type RecentProject, type RecoverableProject } from '../../shared/projectFile';
import { AutosaveFolder } from '../project/autosaves';
import { newProject, readProjectFile, writeProjectFile } from '../project/projectFile';
import { addRecentProject, type SettingsStore } from './settings';
import { consoleLogger, type Handlers, type Logger } from './serviceTypes';

export interface ProjectServiceOptions {
  dataDir: string;
  /** Keeps the recent-projects list; null leaves it untouched (tests, a broken settings file). */
  settings: SettingsStore | null;
  /** Makes the demo content (and model) if needed; returns the demo project file's path. */
  ensureDemo: () => Promise<string>;
  log?: Logger;
}

/** The queue key of a project's autosave (distinct from any file path). */
const autosaveKey = (id: string): string => `autosave:${id}`;

export class ProjectService {
  private readonly saving = new Map<string, Promise<unknown>>();
  private demoInFlight: Promise<string> | null = null;
  private readonly log: Logger;
  private readonly autosaves: AutosaveFolder;

  constructor(private readonly o: ProjectServiceOptions) {
    const log = o.log ?? consoleLogger;
    this.log = log;
    this.autosaves = new AutosaveFolder(path.join(o.dataDir, 'autosave'), (message) => log.warn(message));
  }

  handlers(): Handlers {
    return {
      'project.new': (input) => newProject({ name: input.name }),
      'project.open': (input) => this.open(input),
      'project.save': (input) => this.save(input),
      'project.autosave': (input) => this.autosave(input),
      'project.recent': () => this.recent(),
      'project.demo': () => this.demo(),
      'project.recoverable': () => this.recoverable(),
      'project.recover': ({ id }) => this.autosaves.read(id),
      'project.discardAutosave': async ({ id }) => ({ removed: await this.serialised(autosaveKey(id), () => this.autosaves.remove(id)) }),
    };
  }

  get autosaveDir(): string {
    return this.autosaves.dir;
  }

  /**
   * Where a save goes: absolute paths as given; a bare name (browser mode has no save dialog) goes
   * to `<dataDir>/projects`. The project extension is added when missing.
   */
  projectPathFor(requested: string): string {
    const base = this.projectsDirPath(requested);
    return base.endsWith(PROJECT_EXTENSION) ? base : `${base}${PROJECT_EXTENSION}`;
  }

  private projectsDirPath(requested: string): string {
    return path.isAbsolute(requested) ? requested : path.join(this.o.dataDir, 'projects', requested);
  }

  async open({ path: file, fromBackup }: RequestOf<'project.open'>): Promise<OpenedProject> {
    const opened = await readProjectFile(this.projectsDirPath(file), { fromBackup });
    this.remember(opened.path);
    return opened;
  }

  async save({ path: requested, project }: RequestOf<'project.save'>): Promise<ResponseOf<'project.save'>> {
    const file = this.projectPathFor(requested);
    if (!path.isAbsolute(requested)) await mkdir(path.dirname(file), { recursive: true });
    await this.serialised(file, () => writeProjectFile(file, project));
    // Queued behind any autosave the editor sent before this save, so a late one cannot survive it.
    await this.serialised(autosaveKey(project.id), () => this.autosaves.remove(project.id));
    this.remember(file);
    return { path: file };
  }

  async autosave({ project, origin }: RequestOf<'project.autosave'>): Promise<ResponseOf<'project.autosave'>> {
    await mkdir(this.autosaveDir, { recursive: true });
    const file = await this.serialised(autosaveKey(project.id), () => this.autosaves.write(project, origin ?? null));
    return { path: file };
  }

  /** Unsaved work from earlier sessions, newest first (none while it is being written). */
  async recoverable(): Promise<RecoverableProject[]> {
    return this.autosaves.list();
  }

  recent(): RecentProject[] {
    const list = this.o.settings?.get().recentProjects ?? [];
    return list.map((file) => ({ path: file, name: path.basename(file, PROJECT_EXTENSION), exists: existsSync(file) }));
  }

  /** The demo project; the first call makes it (concurrent calls share that work). */
  async demo(): Promise<OpenedProject> {
    this.demoInFlight ??= this.o.ensureDemo().finally(() => {
      this.demoInFlight = null;
    });
    const file = await this.demoInFlight;
    return readProjectFile(file);
  }

  /** Writes under one key (a file, a project's autosave) run one after another, in arrival order. */
  private serialised<T>(key: string, write: () => Promise<T>): Promise<T> {
    const previous = this.saving.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.saving.set(key, next);
    const forget = () => {
      if (this.saving.get(key) === next) this.saving.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  private remember(file: string): void {
    if (!this.o.settings) return;
    try {
      addRecentProject(this.o.settings, file);
    } catch (err) {
      this.log.warn(`could not record ${file} in the recent projects: ${(err as Error).message}`);
    }
  }
}
