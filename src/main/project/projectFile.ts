// Reading and writing project files (format: src/shared/projectFile.ts). JSON, paths relative to
// the file, written through writeFileDurable (temp + fsync + rename, previous version kept as
// `.bak`). A file that cannot be read as a project fails with `corrupt_project`, naming the first
// problem and, when a readable backup exists, offering it in the message and in `detail`.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  PROJECT_FORMAT_VERSION,
  ProjectSchema,
  type OpenedProject,
  type Project,
  type ProjectInput,
} from '../../shared/projectFile';
import { defaultRenderParams, type RenderParams } from '../../shared/renderParams';
import { StudioFailure } from '../../shared/result';
import { failureFromFsError } from '../media/errors';
import { BACKUP_SUFFIX, writeFileDurable, type DurableWriteOptions } from './durableWrite';
import { migrateProject } from './migrate';
import { findMissingInputs, toAbsolutePaths, toStoredPaths } from './relativePaths';

/** Project files are small; a huge one is not ours (and would only waste memory). */
const MAX_PROJECT_BYTES = 16 << 20;

export interface NewProjectOptions {
  name?: string;
  inputs?: ProjectInput[];
  render?: Partial<RenderParams>;
  now?: Date;
}

export function newProject(options: NewProjectOptions = {}): Project {
  const now = (options.now ?? new Date()).toISOString();
  return {
    formatVersion: PROJECT_FORMAT_VERSION,
    id: randomUUID(),
    name: options.name ?? 'Untitled',
    createdAt: now,
    modifiedAt: now,
    inputs: options.inputs ?? [],
    render: defaultRenderParams(options.render),
    range: { in: null, out: null },
    playhead: 0,
    takes: [],
    activeTake: null,
    export: { format: 'mp4', fps: null, size: null, layout: 'result', audio: 'none', outPath: null },
    viewerMode: 'output',
  };
}

/** The file's text: stored (relative) paths, stable key order, trailing newline. */
export function serializeProject(project: Project, file: string): string {
  const stored = toStoredPaths(ProjectSchema.parse(project), path.dirname(path.resolve(file)));
  return `${JSON.stringify(stored, null, 2)}\n`;
}

/** Pure: text → project with absolute paths (throws corrupt_project / unsupported_version). */
export function parseProjectText(text: string, file: string): Project {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // NOTE: JSON.parse's message quotes the file's text; it is not echoed across the boundary.
    throw new StudioFailure('corrupt_project', `${file} is damaged: it is not valid JSON (truncated or overwritten).`);
  }
  const checked = ProjectSchema.safeParse(migrateProject(raw, file));
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue.path.map(String).join('.') || '(file)';
    throw new StudioFailure('corrupt_project', `${file} is damaged or was edited by hand: ${where}: ${issue.message}.`);
  }
  return toAbsolutePaths(checked.data, path.dirname(path.resolve(file)));
}

async function readText(file: string): Promise<string> {
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new StudioFailure('not_found', `There is no project file at ${file}.`);
    throw new StudioFailure('io_error', `${file} cannot be read: ${err.message}.`);
  });
  if (!info.isFile()) throw new StudioFailure('invalid_request', `${file} is a folder, not a project file.`);
  if (info.size > MAX_PROJECT_BYTES) throw new StudioFailure('corrupt_project', `${file} is ${info.size} bytes, far too large for a project file.`);
  return readFile(file, 'utf8');
}

/** The backup beside `file` when it parses as a project, else null. */
async function usableBackup(file: string): Promise<{ path: string; modifiedAt: string } | null> {
  const backup = `${file}${BACKUP_SUFFIX}`;
  try {
    const text = await readText(backup);
    parseProjectText(text, file); // parsed against the main file's folder: it lives beside it
    return { path: backup, modifiedAt: (await stat(backup)).mtime.toISOString() };
  } catch {
    return null;
  }
}

async function withBackupOffer(err: unknown, file: string): Promise<never> {
  if (!(err instanceof StudioFailure) || err.code !== 'corrupt_project') throw err;
  const backup = await usableBackup(file);
  if (!backup) {
    throw new StudioFailure('corrupt_project', `${err.message} There is no intact backup (${path.basename(file)}${BACKUP_SUFFIX}) to fall back to; choose another project file.`, err.detail);
  }
  throw new StudioFailure(
    'corrupt_project',
    `${err.message} The previous version saved at ${backup.modifiedAt} is intact in ${path.basename(backup.path)}; open the backup instead.`,
    { backupPath: backup.path, backupModifiedAt: backup.modifiedAt },
  );
}

/**
 * Opens `file` (or its `.bak` when `fromBackup`), resolving paths against the project's folder.
 * The returned `path` is always the project file itself, so saving a recovered backup repairs it.
 */
export async function readProjectFile(file: string, options: { fromBackup?: boolean } = {}): Promise<OpenedProject> {
  const target = path.resolve(file);
  const source = options.fromBackup ? `${target}${BACKUP_SUFFIX}` : target;
  let project: Project;
  try {
    project = parseProjectText(await readText(source), target);
  } catch (err) {
    if (options.fromBackup) throw err;
    return withBackupOffer(err, target);
  }
  return { path: target, project, missing: await findMissingInputs(project), fromBackup: Boolean(options.fromBackup) };
}

export interface WriteProjectOptions {
  keepBackup?: boolean;
  now?: Date;
  beforeRename?: DurableWriteOptions['beforeRename'];
}

/** Saves atomically; returns the project as written (modifiedAt updated, absolute paths). */
export async function writeProjectFile(file: string, project: Project, options: WriteProjectOptions = {}): Promise<Project> {
  const target = path.resolve(file);
  const dir = await stat(path.dirname(target)).catch(() => null);
  if (!dir?.isDirectory()) throw new StudioFailure('not_found', `The folder ${path.dirname(target)} does not exist. Choose another place to save.`);
  const saved: Project = { ...project, modifiedAt: (options.now ?? new Date()).toISOString() };
  try {
    await writeFileDurable(target, serializeProject(saved, target), { keepBackup: options.keepBackup ?? true, beforeRename: options.beforeRename });
  } catch (err) {
    throw failureFromFsError(err, `saving the project to ${target}`);
  }
  return saved;
}
