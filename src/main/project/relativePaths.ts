// Project files store file paths relative to the project file's folder, with '/' separators, so a
// project folder moved or copied as a whole (to another disk, user or OS) still finds its media.
// In memory, and across the contract, the paths are absolute.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { MissingInput, Project } from '../../shared/projectFile';

/** Relative to `baseDir` when possible; absolute when there is no relative path (another drive). */
export function storedPath(absolute: string, baseDir: string): string {
  const relative = path.relative(baseDir, absolute);
  if (relative === '' || path.isAbsolute(relative)) return absolute;
  return relative.split(path.sep).join('/');
}

/** The absolute path of a stored one ('/' separators work on every platform). */
export function resolvedPath(stored: string, baseDir: string): string {
  return path.resolve(baseDir, ...stored.split('/'));
}

function mapPaths(project: Project, map: (p: string) => string): Project {
  return {
    ...project,
    inputs: project.inputs.map((input) => ({ ...input, path: map(input.path) })),
    export: { ...project.export, outPath: project.export.outPath === null ? null : map(project.export.outPath) },
  };
}

export const toStoredPaths = (project: Project, baseDir: string): Project => mapPaths(project, (p) => storedPath(path.resolve(p), baseDir));

export const toAbsolutePaths = (project: Project, baseDir: string): Project => mapPaths(project, (p) => resolvedPath(p, baseDir));

/** Inputs whose file is gone or unusable, one entry per input (the project still opens). */
export async function findMissingInputs(project: Project): Promise<MissingInput[]> {
  const missing: MissingInput[] = [];
  for (const input of project.inputs) {
    const info = await stat(input.path).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      const reason = info.code === 'ENOENT' ? 'The file is not there (moved, renamed or deleted).' : `The file cannot be read (${info.code ?? info.message}).`;
      missing.push({ role: input.role, path: input.path, reason });
    } else if (!info.isFile()) {
      missing.push({ role: input.role, path: input.path, reason: 'The path is a folder, not a file.' });
    }
  }
  return missing;
}
