import { describe, expect, it } from 'vitest';
import { locateMediaTools, locateTool, parseFfmpegVersion, realLocateContext, unpackedAsarPath, type LocateContext } from '../../src/main/media/locate';

function ctx(files: string[], env: Record<string, string> = {}, bundled: string | null = null): LocateContext {
  return { env: { PATH: '/usr/local/bin:/usr/bin', ...env }, platform: 'linux', bundledFfmpeg: bundled, isExecutable: (f) => files.includes(f) };
}

describe('locating ffmpeg and ffprobe', () => {
  it('prefers the env var, then the bundled binary, then PATH', () => {
    const all = ['/opt/ff/ffmpeg', '/app/node_modules/ffmpeg-static/ffmpeg', '/usr/bin/ffmpeg'];
    expect(locateTool('ffmpeg', ctx(all, { FFMPEG_BIN: '/opt/ff/ffmpeg' }, all[1]))).toEqual({ path: '/opt/ff/ffmpeg', source: 'env', via: 'FFMPEG_BIN' });
    expect(locateTool('ffmpeg', ctx(all, { FFMPEG_PATH: '/opt/ff/ffmpeg' }, all[1]))?.via).toBe('FFMPEG_PATH');
    expect(locateTool('ffmpeg', ctx(all, {}, all[1]))).toMatchObject({ source: 'bundled', path: all[1] });
    expect(locateTool('ffmpeg', ctx(all, {}, '/not/downloaded/ffmpeg'))).toMatchObject({ source: 'path', path: '/usr/bin/ffmpeg' });
    expect(locateTool('ffprobe', ctx(['/usr/local/bin/ffprobe'], { FFPROBE_BIN: '/missing' }))).toMatchObject({ source: 'path', path: '/usr/local/bin/ffprobe' });
    expect(locateTool('ffmpeg', ctx([]))).toBeNull();
  });

  it('maps a packaged Electron path into app.asar.unpacked', () => {
    expect(unpackedAsarPath('/Apps/Studio/resources/app.asar/node_modules/ffmpeg-static/ffmpeg')).toBe(
      '/Apps/Studio/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg',
    );
    const packaged = '/r/app.asar/node_modules/ffmpeg-static/ffmpeg';
    expect(locateTool('ffmpeg', ctx(['/r/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg'], {}, packaged))?.source).toBe('bundled');
  });

  it('explains what is missing and what still works', async () => {
    const tools = await locateMediaTools(ctx([], { FFMPEG_BIN: '/nope/ffmpeg' }));
    expect(tools.ffmpeg).toBeNull();
    expect(tools.ffprobe).toBeNull();
    expect(tools.notes.join('\n')).toMatch(/FFMPEG_BIN=\/nope\/ffmpeg is not an executable file.*export are unavailable/s);
    expect(tools.notes.join('\n')).toMatch(/ffprobe was not found.*set FFPROBE_BIN/s);
  });

  it('finds the real tools here (ffmpeg-static was not downloaded, so PATH) and reads the version', async () => {
    const tools = await locateMediaTools(realLocateContext());
    expect(tools.ffmpeg?.source).toBe('path');
    expect(tools.ffmpeg?.version?.major).toBeGreaterThanOrEqual(4);
    expect(tools.ffprobe?.source).toBe('path');
    expect(tools.notes).toEqual([]);
    expect(parseFfmpegVersion('ffmpeg version n6.0 Copyright')).toMatchObject({ major: 6, minor: 0 });
    expect(parseFfmpegVersion('ffmpeg version N-112233-gdeadbeef')).toBeNull();
  });
});
