// The rule for every place the app writes an export (the editor's export, the render CLI's --out):
// never remove or replace anything the app did not create, and replace what it did create only
// when the person said so.
//   a new path                     written
//   an empty folder (PNG sequence) written into (nothing is lost)
//   an existing file (video)       refused with 'exists' unless `overwrite`; then the old file
//                                  goes to the trash first
//   a folder of an earlier export  the same, recognised by EXPORT_MARKER, which lists its files
//   anything else                  refused: a folder for a video, a file for a PNG sequence, a
//                                  non-empty folder without the marker or with files the marker
//                                  does not list — `overwrite` does not change that
// The check runs before the encode (so the dialog can ask at once) and again when the result is
// moved into place, where a file that appeared meanwhile is never clobbered.
import { link, lstat, readdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StudioFailure } from '../../shared/result';
import type { MoveToTrash, TrashReceipt } from './trash';

/** Written into every PNG-sequence export: the proof that the folder is the app's own. */
export const EXPORT_MARKER = '.magicanimate-export.json';

const MarkerSchema = z.object({
  app: z.literal('MagicAnimate Studio'),
  version: z.literal(1),
  files: z.array(z.string()).max(1_000_000),
});

export type DestinationKind = 'sequence' | 'file';
export type DestinationState = 'new' | 'emptyFolder' | 'existingFile' | 'ownFolder';

/** How the person confirms a replacement: the editor's prompt, or the CLI's --overwrite. */
export interface DestinationWording {
  confirm: string;
}
const EDITOR: DestinationWording = { confirm: 'confirm to replace it (the old one goes to the trash)' };

const refuse = (message: string, detail?: unknown) => new StudioFailure('invalid_request', message, detail);

async function folderState(dir: string): Promise<DestinationState> {
  const names = await readdir(dir);
  if (names.length === 0) return 'emptyFolder';
  const shown = (list: string[]) => list.slice(0, 5).join(', ') + (list.length > 5 ? `, … (${list.length} in all)` : '');
  if (!names.includes(EXPORT_MARKER)) {
    throw refuse(`The folder ${dir} already holds files this app did not make (${shown(names)}); nothing was changed. Choose a new or empty folder.`, { path: dir, reason: 'foreign_folder' });
  }
  const marker = MarkerSchema.safeParse(JSON.parse(await readFile(path.join(dir, EXPORT_MARKER), 'utf8').catch(() => 'null')));
  const listed = new Set(marker.success ? marker.data.files : []);
  const extra = names.filter((n) => n !== EXPORT_MARKER && !listed.has(n));
  if (!marker.success || extra.length > 0) {
    const what = marker.success ? `files an earlier export did not write (${shown(extra)})` : 'an unreadable export marker';
    throw refuse(`The folder ${dir} holds ${what}; nothing was changed. Move them out or choose another folder.`, { path: dir, reason: 'foreign_folder' });
  }
  return 'ownFolder';
}

/** What is at `outPath` now; throws for the destinations that are never replaced. */
export async function inspectDestination(outPath: string, kind: DestinationKind): Promise<DestinationState> {
  const st = await lstat(outPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!st) return 'new';
  if (kind === 'file') {
    if (st.isDirectory()) throw refuse(`${outPath} is a folder; a video export never replaces a folder. Choose a file name.`, { path: outPath, reason: 'is_folder' });
    return 'existingFile';
  }
  if (!st.isDirectory()) {
    throw refuse(`${outPath} is a file; a PNG sequence is written into a folder and never replaces a file. Choose a folder name.`, { path: outPath, reason: 'is_file' });
  }
  return folderState(outPath);
}

/** Refuses (code 'exists') a destination that would replace something without `overwrite`. */
export async function checkDestination(outPath: string, kind: DestinationKind, overwrite: boolean, wording: DestinationWording = EDITOR): Promise<DestinationState> {
  const state = await inspectDestination(outPath, kind);
  if (!overwrite && (state === 'existingFile' || state === 'ownFolder')) {
    const what = state === 'existingFile' ? 'A file' : 'A PNG sequence from an earlier export';
    throw new StudioFailure('exists', `${what} already exists at ${outPath}; nothing was changed. To replace it, ${wording.confirm}.`, { path: outPath, state });
  }
  return state;
}

/** Lists the folder's files into its marker (written last, so a folder without one is incomplete). */
export async function writeExportMarker(folder: string): Promise<void> {
  const files = (await readdir(folder)).filter((n) => n !== EXPORT_MARKER).sort();
  const marker: z.infer<typeof MarkerSchema> = { app: 'MagicAnimate Studio', version: 1, files };
  await writeFile(path.join(folder, EXPORT_MARKER), `${JSON.stringify(marker)}\n`);
}

const raceLost = (outPath: string) =>
  new StudioFailure('exists', `Something appeared at ${outPath} while exporting; it was left as it is. Export again to replace it.`, { path: outPath });

/** A file into place without ever replacing one: link() fails if the name is taken. */
async function placeNewFile(temp: string, outPath: string): Promise<void> {
  try {
    await link(temp, outPath);
    await unlink(temp);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw raceLost(outPath);
    // NOTE: some file systems (FAT, some network shares) have no hard links: check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    if (await lstat(outPath).then(() => true, () => false)) throw raceLost(outPath);
    await rename(temp, outPath);
  }
}

/** A finished folder into place; only an empty folder may be there (it is removed first). */
async function placeNewFolder(temp: string, outPath: string): Promise<void> {
  await rmdir(outPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return;
    if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST' || err.code === 'ENOTDIR') throw raceLost(outPath);
    throw err;
  });
  await rename(temp, outPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST' || err.code === 'ENOTDIR') throw raceLost(outPath);
    throw err;
  });
}

export interface PlaceOptions {
  overwrite: boolean;
  trash: MoveToTrash;
  wording?: DestinationWording;
}

/**
 * Moves a finished `temp` (file or folder) to `outPath` under the rule above. Returns where the
 * replaced item went, or null when nothing was replaced.
 */
export async function placeOutput(temp: string, outPath: string, kind: DestinationKind, o: PlaceOptions): Promise<TrashReceipt | null> {
  const state = await checkDestination(outPath, kind, o.overwrite, o.wording);
  let receipt: TrashReceipt | null = null;
  if (state === 'existingFile' || state === 'ownFolder') {
    try {
      receipt = await o.trash(outPath);
    } catch (err) {
      throw new StudioFailure('io_error', `${outPath} could not be moved to the trash (${(err as Error).message}), so it was not replaced.`, { path: outPath });
    }
  }
  try {
    if (kind === 'file') await placeNewFile(temp, outPath);
    else await placeNewFolder(temp, outPath);
  } catch (err) {
    if (receipt && err instanceof StudioFailure) {
      throw new StudioFailure(err.code, `${err.message} The replaced one is at ${receipt.path}.`, err.detail);
    }
    throw err;
  }
  return receipt;
}
