// Showing a file in the system's file manager. The Electron shell injects shell.showItemInFolder
// (ServicesOptions.shell). Browser mode has no shell API, so it starts the desktop's own opener on
// the file's folder (xdg-open on Linux, `open -R` on macOS, `explorer /select,` on Windows) when
// that program exists; otherwise showing is not available and the UI shows the path instead.
// NOTE: in browser mode the folder opens on the machine running the server, which is the person's
// own machine in the normal loopback setup.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export type RevealItem = (file: string) => void;

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/** Pure: the command revealing `file` on `platform`, given where xdg-open is (Linux). */
export function revealCommand(file: string, platform: NodeJS.Platform, xdgOpen: string | null): { bin: string; args: string[] } | null {
  if (platform === 'darwin') return { bin: 'open', args: ['-R', file] };
  if (platform === 'win32') return { bin: 'explorer.exe', args: [`/select,${file}`] };
  // xdg-open cannot select a file, so the folder is opened.
  return xdgOpen ? { bin: xdgOpen, args: [path.dirname(file)] } : null;
}

/** The browser-mode revealer, or null when this machine has no opener. */
export function desktopRevealer(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): RevealItem | null {
  const xdgOpen = platform === 'linux' ? onPath('xdg-open', env) : null;
  if (platform === 'linux' && !xdgOpen) return null;
  return (file) => {
    const command = revealCommand(file, platform, xdgOpen);
    if (!command) return;
    // Detached and unwaited: the file manager outlives the request.
    const child = spawn(command.bin, command.args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  };
}
