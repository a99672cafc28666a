// The autosave folder: `<id>.json` is a project file written by the editor a few seconds after an
// edit; `<id>.origin.json` names the project file it belongs to. A save of that project removes
// both, so whatever is still here at start is work a session left unsaved (a crash, a closed
// window) and is offered back. Both files are written atomically; a damaged one is skipped with a
// warning rather than blocking the start.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { OpenedProject, Project, RecoverableProject } from '../../shared/projectFile';
import { StudioFailure } from '../../shared/result';
import { writeFileDurable } from './durableWrite';
import { readProjectFile, writeProjectFile } from './projectFile';

const ORIGIN_SUFFIX = '.origin.json';
const OriginSchema = z.object({ origin: z.string().nullable() }).strict();

export class AutosaveFolder {
  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** The project's autosave file (the id's alphabet is restricted by the schema: a safe name). */
  fileFor(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private originFileFor(id: string): string {
    return path.join(this.dir, `${id}${ORIGIN_SUFFIX}`);
  }

  async write(project: Project, origin: string | null): Promise<string> {
    const file = this.fileFor(project.id);
    // Origin first: an autosave is never readable without knowing where it saves back to.
    await writeFileDurable(this.originFileFor(project.id), JSON.stringify({ origin }), { keepBackup: false });
    await writeProjectFile(file, project, { keepBackup: false });
    return file;
  }

  async remove(id: string): Promise<boolean> {
    const file = this.fileFor(id);
    const existed = await readFile(file).then(
      () => true,
      () => false,
    );
    await rm(file, { force: true });
    await rm(this.originFileFor(id), { force: true });
    return existed;
  }

  private async originOf(id: string): Promise<string | null> {
    try {
      return OriginSchema.parse(JSON.parse(await readFile(this.originFileFor(id), 'utf8'))).origin;
    } catch {
      return null; // an autosave without its note is still worth restoring, as an unsaved project
    }
  }

  /** Every readable autosave, newest first. */
  async list(): Promise<RecoverableProject[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const found: RecoverableProject[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || name.endsWith(ORIGIN_SUFFIX) || name.startsWith('.')) continue;
      try {
        const { project } = await readProjectFile(path.join(this.dir, name));
        found.push({ id: project.id, name: project.name, autosavedAt: project.modifiedAt, origin: await this.originOf(project.id) });
      } catch (err) {
        this.warn(`skipping the unreadable autosave ${name}: ${(err as Error).message}`);
      }
    }
    return found.sort((a, b) => b.autosavedAt.localeCompare(a.autosavedAt));
  }

  /** The autosaved project, with `path` set to its origin ('' if it was never saved). */
  async read(id: string): Promise<OpenedProject> {
    const opened = await readProjectFile(this.fileFor(id)).catch((err: unknown) => {
      if (err instanceof StudioFailure && err.code === 'not_found') {
        throw new StudioFailure('not_found', 'That autosave is gone (it was saved or discarded in another window). Open the project itself instead.');
      }
      throw err;
    });
    return { ...opened, path: (await this.originOf(id)) ?? '' };
  }
}
