// 'app.info': what the renderer shows in its About box and status bar — the mode, the data
// folder, which ffmpeg/ffprobe will be used, and plain notes on whatever is missing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AppInfo } from '../../shared/contract';
import { locateMediaTools, type MediaTools } from '../media/locate';
import type { Handlers, ServiceContext } from './serviceTypes';

/** True when onnxruntime-node has the CUDA provider library next to its binding (Linux x64). */
function hasOrtCudaProvider(): boolean {
  try {
    const root = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
    return existsSync(join(root, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

export interface AppInfoOptions {
  /** Replaces the media layer's lookup (tests). */
  locate?: () => Promise<MediaTools>;
  /** Extra notes from the shell (e.g. "Electron binary missing"). */
  notes?: () => string[];
}

export function runtimeNotes(mode: ServiceContext['mode']): string[] {
  const notes: string[] = [];
  if (mode === 'browser') {
    notes.push('Browser mode: native file dialogs are unavailable; files you open are uploaded into the data folder.');
  }
  if (process.platform === 'linux' && process.arch === 'x64' && !hasOrtCudaProvider()) {
    notes.push('The onnxruntime CUDA provider is not installed: CPU inference works.');
  }
  return notes;
}

export function appInfoHandlers(ctx: ServiceContext, options: AppInfoOptions = {}): Handlers {
  const locate = options.locate ?? locateMediaTools;
  // Locating runs `ffmpeg -version`; once it has succeeded the answer is kept for the session.
  let tools: Promise<MediaTools> | null = null;
  const lookup = (): Promise<MediaTools> => {
    if (!tools) {
      tools = locate().then((found) => {
        if (!found.ffmpeg || !found.ffprobe) tools = null; // look again next time: it may be installed meanwhile
        return found;
      });
      tools.catch(() => (tools = null));
    }
    return tools;
  };
  return {
    'app.info': async (): Promise<AppInfo> => {
      const found = await lookup();
      return {
        mode: ctx.mode,
        version: ctx.version,
        platform: `${process.platform}-${process.arch}`,
        dataDir: ctx.dataDir,
        ffmpeg: found.ffmpeg ? { path: found.ffmpeg.path, source: found.ffmpeg.via } : null,
        ffprobe: found.ffprobe ? { path: found.ffprobe.path, source: found.ffprobe.via } : null,
        notes: [...found.notes, ...runtimeNotes(ctx.mode), ...(options.notes?.() ?? [])],
      };
    },
  };
}
