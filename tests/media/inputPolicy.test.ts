// ffmpeg picks a demuxer by content: an ffconcat script named concat.mp4 used to be "imported",
// reading its sibling private.mp4. Every input now carries a demuxer and protocol whitelist.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hardenInputs, MEDIA_DEMUXERS } from '../../src/main/media/inputPolicy';
import { probeMedia } from '../../src/main/media/probe';
import { readVideoFrames } from '../../src/main/media/rawFrames';
import { StudioFailure } from '../../src/shared/result';
import { ffmpeg, tempDir } from './corpus';

const corpus = tempDir('input-policy');
afterAll(() => corpus.cleanup());

function plantScripts(): { privateClip: string; concat: string; playlist: string } {
  const privateClip = join(corpus.dir, 'private.mp4');
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '1', '-pix_fmt', 'yuv420p', privateClip);
  const concat = join(corpus.dir, 'concat.mp4');
  writeFileSync(concat, 'ffconcat version 1.0\nfile private.mp4\n');
  const playlist = join(corpus.dir, 'playlist.mp4');
  writeFileSync(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nfile://${privateClip}\n#EXT-X-ENDLIST\n`);
  return { privateClip, concat, playlist };
}

async function failureOf(promise: Promise<unknown>): Promise<StudioFailure> {
  const err = await promise.then(() => null, (e: unknown) => e);
  if (!(err instanceof StudioFailure)) throw new Error(`expected a StudioFailure, got ${String(err)}`);
  return err;
}

describe('hardenInputs', () => {
  it('puts both whitelists before every -i, pipe inputs get pipe/rawvideo only', () => {
    const args = hardenInputs(['-v', 'error', '-i', 'a.mp4', '-f', 'rawvideo', '-i', 'pipe:0', 'out.mp4']);
    expect(args).toEqual([
      '-v', 'error',
      '-protocol_whitelist', 'file', '-format_whitelist', MEDIA_DEMUXERS.join(','), '-i', 'a.mp4',
      '-f', 'rawvideo', '-protocol_whitelist', 'pipe', '-format_whitelist', 'rawvideo', '-i', 'pipe:0',
      'out.mp4',
    ]);
    expect(MEDIA_DEMUXERS).not.toContain('concat');
    expect(MEDIA_DEMUXERS).not.toContain('hls');
  });
});

describe('scripts disguised as media are refused', () => {
  const files = plantScripts();

  it('still reads the real clip', async () => {
    expect((await probeMedia('ffprobe', files.privateClip)).info).toMatchObject({ kind: 'video', width: 64, frameCount: 5 });
  });

  it('refuses an ffconcat file named .mp4 in ffprobe, naming the file and the script kind', async () => {
    const err = await failureOf(probeMedia('ffprobe', files.concat));
    expect(err.code).toBe('unsupported_media');
    expect(err.message).toMatch(/concat\.mp4.*"concat" file, not media.*Choose the media file itself/);
  });

  it('refuses it when ffmpeg decodes frames too (no frame of private.mp4 comes out)', async () => {
    const frames: Uint8Array[] = [];
    const err = await failureOf(
      (async () => {
        for await (const f of readVideoFrames({ bin: 'ffmpeg', version: null }, files.concat, { width: 64, height: 64, fit: 'stretch' })) {
          frames.push(f);
        }
      })(),
    );
    expect(frames).toHaveLength(0);
    expect(err.code).toBe('unsupported_media');
    expect(err.message).toMatch(/concat\.mp4.*not media/);
  });

  it('refuses an HLS playlist named .mp4', async () => {
    const err = await failureOf(probeMedia('ffprobe', files.playlist));
    expect(err.code).toBe('unsupported_media');
    expect(err.message).toMatch(/playlist\.mp4.*"hls" file, not media/);
  });
});
