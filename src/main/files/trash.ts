// Where replaced content goes: the system trash, behind one small interface so services stay
// Electron-free. The Electron shell injects shell.trashItem (electronTrash); browser mode and the
// CLI pick one for the platform (systemTrash):
//   Linux    the freedesktop.org trash (https://specifications.freedesktop.org/trash-spec/):
//            $XDG_DATA_HOME/Trash/{files,info}, or $topdir/.Trash-$uid on another file system
//   macOS    ~/.Trash (no "Put Back" record: only Finder writes that)
//   Windows  no trash reachable without the shell: the old file is kept beside the new one under
//            a clearly dated name, and the receipt says so
// Every mover either moves the whole item or throws; it never copies and deletes.
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TrashReceipt {
  /** 'trash': in the system trash; 'backup': kept beside the original under another name. */
  to: 'trash' | 'backup';
  /** Where it is now (the trash's copy, or the backup's name). */
  path: string;
}

export type MoveToTrash = (item: string) => Promise<TrashReceipt>;

/** Electron: shell.trashItem knows every desktop's trash (it does not say where the item went). */
export function electronTrash(trashItem: (item: string) => Promise<void>): MoveToTrash {
  return async (item) => {
    await trashItem(item);
    return { to: 'trash', path: item };
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Local time, no zone: the format the trash spec's DeletionDate asks for. */
export function trashDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The spec's Path key: the absolute path, URL-escaped per segment. */
export function trashInfo(original: string, when: Date): string {
  const escaped = original.split('/').map(encodeURIComponent).join('/');
  return `[Trash Info]\nPath=${escaped}\nDeletionDate=${trashDate(when)}\n`;
}

/** "name.ext", "name.2.ext", … — the n-th candidate name in a folder. */
function candidate(base: string, n: number): string {
  if (n === 1) return base;
  const ext = path.extname(base);
  return `${base.slice(0, base.length - ext.length)}.${n}${ext}`;
}

/**
 * Reserves a name by creating its .trashinfo with O_EXCL (the spec's way to avoid two deletions
 * racing for one name), then renames the item into files/. EXDEV (another file system) throws.
 */
async function moveIntoTrashDir(trashDir: string, item: string, now: Date): Promise<string> {
  const files = path.join(trashDir, 'files');
  const info = path.join(trashDir, 'info');
  await mkdir(files, { recursive: true, mode: 0o700 });
  await mkdir(info, { recursive: true, mode: 0o700 });
  for (let n = 1; n < 10_000; n++) {
    const name = candidate(path.basename(item), n);
    const infoFile = path.join(info, `${name}.trashinfo`);
    const handle = await open(infoFile, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return null;
      throw err;
    });
    if (!handle) continue;
    try {
      await handle.writeFile(trashInfo(item, now));
    } finally {
      await handle.close();
    }
    const target = path.join(files, name);
    if (await lstat(target).then(() => true, () => false)) {
      await rm(infoFile, { force: true }); // a stray file without its info: leave it, try the next name
      continue;
    }
    try {
      await rename(item, target);
      return target;
    } catch (err) {
      await rm(infoFile, { force: true });
      throw err;
    }
  }
  throw new Error(`the trash at ${trashDir} has no free name for ${path.basename(item)}`);
}

/** The top directory of the file system holding `file` (its mount point). */
async function topDir(file: string): Promise<string> {
  const dev = (await lstat(file)).dev;
  let dir = path.dirname(file);
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) return dir;
    const st = await lstat(parent).catch(() => null);
    if (!st || st.dev !== dev) return dir;
    dir = parent;
  }
}

export interface FreedesktopOptions {
  /** $XDG_DATA_HOME (default ~/.local/share). */
  dataHome: string;
  uid?: number;
  now?: () => Date;
}

/** Linux (and other freedesktop desktops): the home trash, or the file system's own trash. */
export function freedesktopTrash(o: FreedesktopOptions): MoveToTrash {
  const now = o.now ?? (() => new Date());
  return async (item) => {
    const absolute = path.resolve(item);
    try {
      return { to: 'trash', path: await moveIntoTrashDir(path.join(o.dataHome, 'Trash'), absolute, now()) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    }
    // NOTE: the home trash is on another file system; the spec's $topdir/.Trash-$uid keeps the move a rename.
    const uid = o.uid ?? process.getuid?.() ?? 0;
    const top = await topDir(absolute);
    return { to: 'trash', path: await moveIntoTrashDir(path.join(top, `.Trash-${uid}`), absolute, now()) };
  };
}

/** macOS without Electron: ~/.Trash. */
export function macTrash(home: string): MoveToTrash {
  return async (item) => {
    const trash = path.join(home, '.Trash');
    for (let n = 1; n < 10_000; n++) {
      const target = path.join(trash, candidate(path.basename(item), n));
      if (await lstat(target).then(() => true, () => false)) continue;
      await rename(item, target);
      return { to: 'trash', path: target };
    }
    throw new Error(`~/.Trash has no free name for ${path.basename(item)}`);
  };
}

/** No trash: "clip (replaced 2026-12-02 18-51-26).mp4" beside the original. */
export function backupBeside(now: () => Date = () => new Date()): MoveToTrash {
  return async (item) => {
    const ext = path.extname(item);
    const stem = item.slice(0, item.length - ext.length);
    const stamp = trashDate(now()).replace('T', ' ').replace(/:/g, '-');
    for (let n = 1; n < 10_000; n++) {
      const target = `${stem} (replaced ${stamp}${n > 1 ? ` ${n}` : ''})${ext}`;
      if (await lstat(target).then(() => true, () => false)) continue;
      await rename(item, target);
      return { to: 'backup', path: target };
    }
    throw new Error(`no free backup name beside ${item}`);
  };
}

/** The mover for a process without Electron (browser mode, the CLI). */
export function systemTrash(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): MoveToTrash {
  const home = env.HOME ?? os.homedir();
  if (platform === 'win32') return backupBeside();
  if (platform === 'darwin') return macTrash(home);
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  const trash = freedesktopTrash({ dataHome });
  // A trash that cannot be used (read-only home, say) must not turn into a deletion: keep a backup.
  const fallback = backupBeside();
  return (item) => trash(item).catch(() => fallback(item));
}
