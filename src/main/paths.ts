// Where the studio keeps its data (settings, frame cache, render jobs, uploads, models) when it
// is not told otherwise. The Electron shell uses app.getPath('userData') instead.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const APP_DIR_NAME = 'magicanimate-studio';
const WINDOWS_DIR_NAME = 'MagicAnimate Studio';

/**
 * Linux: $XDG_DATA_HOME/magicanimate-studio (when XDG_DATA_HOME is set and absolute, as the XDG
 * spec requires); Windows: %APPDATA%\MagicAnimate Studio; otherwise ~/.magicanimate-studio.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, WINDOWS_DIR_NAME);
  if (platform === 'linux' && env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME)) return join(env.XDG_DATA_HOME, APP_DIR_NAME);
  return join(home, `.${APP_DIR_NAME}`);
}

/** An explicit --data-dir wins (resolved against the working directory). */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ? resolve(explicit) : defaultDataDir(env);
}

/** Sub-folders of the data dir, in one place so every service agrees. */
export function dataPaths(dataDir: string): { imports: string; cache: string; jobs: string; models: string; exports: string } {
  return {
    imports: join(dataDir, 'imports'),
    cache: join(dataDir, 'cache'),
    jobs: join(dataDir, 'jobs'),
    models: join(dataDir, 'models'),
    exports: join(dataDir, 'exports'),
  };
}
