// Crash-safe replacement of a small file (a project, an autosave):
//   1. write the new content to a hidden temp file in the same folder and fsync it;
//   2. copy the current file (if any) to `<file>.bak` (itself through a temp + rename);
//   3. rename the temp file over the target (atomic on one file system) and fsync the folder.
// If the process dies anywhere before 3, the target still holds the previous version; after 3 it
// holds the new one. A dead process can leave a stray temp file; the next save removes it.
import { randomBytes } from 'node:crypto';
import { copyFile, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const BACKUP_SUFFIX = '.bak';

export interface DurableWriteOptions {
  /** Keep the replaced version as `<file>.bak`. */
  keepBackup: boolean;
  /** Test hook: runs after the temp file is durable and before the rename (e.g. to crash there). */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

const tempPrefix = (file: string) => `.${path.basename(file)}.`;
const TEMP_SUFFIX = '.tmp';

function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `${tempPrefix(file)}${process.pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

async function writeAndSync(file: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** NOTE: a rename is only durable once its folder is synced; Windows cannot open folders, so skip there. */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Temp files of `file` left by processes that died mid-save (live writers' temps are kept). */
async function removeStaleTemps(file: string): Promise<void> {
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  const prefix = tempPrefix(file);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !processIsAlive(pid)) await rm(path.join(path.dirname(file), name), { force: true });
  }
}

async function refreshBackup(file: string): Promise<void> {
  const backup = `${file}${BACKUP_SUFFIX}`;
  // A saver killed while copying the backup leaves `.<name>.bak.<pid>-….tmp`, which the target's
  // own sweep cannot parse a pid from.
  await removeStaleTemps(backup);
  const temp = tempPathFor(backup);
  try {
    await copyFile(file, temp);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // first save: nothing to keep
    throw err;
  }
  await rename(temp, backup);
}

export async function writeFileDurable(file: string, content: string | Uint8Array, options: DurableWriteOptions): Promise<void> {
  const temp = tempPathFor(file);
  try {
    await writeAndSync(temp, content);
    await removeStaleTemps(file);
    if (options.keepBackup) await refreshBackup(file);
    await options.beforeRename?.(temp);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(path.dirname(file));
}
