// The project channels: project.new / open / save / autosave / recent / demo. Files are read and
// written by src/main/project (relative paths, atomic saves with a `.bak`); this service adds the
// recent list (kept by the settings store), per-file save ordering and the demo project.
// Electron-free.
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RequestOf, ResponseOf } from '../../shared/contract';
import { PROJECT_EXTENSION, type OpenedProject, type RecentProject } from '../../shared/projectFile';
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

export class ProjectService {
  private readonly saving = new Map<string, Promise<unknown>>();
  private demoInFlight: Promise<string> | null = null;
  private readonly log: Logger;

  constructor(private readonly o: ProjectServiceOptions) {
    this.log = o.log ?? consoleLogger;
  }

  handlers(): Handlers {
    return {
      'project.new': (input) => newProject({ name: input.name }),
      'project.open': (input) => this.open(input),
      'project.save': (input) => this.save(input),
      'project.autosave': (input) => this.autosave(input),
      'project.recent': () => this.recent(),
      'project.demo': () => this.demo(),
    };
  }

  get autosaveDir(): string {
    return path.join(this.o.dataDir, 'autosave');
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
    this.remember(file);
    return { path: file };
  }

  async autosave({ project }: RequestOf<'project.autosave'>): Promise<ResponseOf<'project.autosave'>> {
    await mkdir(this.autosaveDir, { recursive: true });
    // The id's alphabet is restricted by the schema, so it is a safe file name.
    const file = path.join(this.autosaveDir, `${project.id}.json`);
    await this.serialised(file, () => writeProjectFile(file, project, { keepBackup: false }));
    return { path: file };
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

  /** Saves of one file run one after another, so an older save can never land last. */
  private serialised<T>(file: string, write: () => Promise<T>): Promise<T> {
    const previous = this.saving.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.saving.set(file, next);
    const forget = () => {
      if (this.saving.get(file) === next) this.saving.delete(file);
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
