import { afterAll, describe, expect, it } from 'vitest';
import { interpretProbe, parseRate, probeMedia } from '../../src/main/media/probe';
import { StudioFailure, type ErrorCode } from '../../src/shared/result';
import { build, DEMO4, figureLine, MONALISA, RUNNING, tempDir } from './corpus';

const corpus = tempDir('probe');
afterAll(() => corpus.cleanup());

async function failureOf(file: string): Promise<StudioFailure> {
  const err = await probeMedia('ffprobe', file).then(() => null, (e: unknown) => e);
  if (!(err instanceof StudioFailure)) throw new Error(`expected a StudioFailure for ${file}, got ${String(err)}`);
  return err;
}

describe('probe: real samples', () => {
  it('reads running.mp4 and demo4.mp4 exactly', async () => {
    const running = (await probeMedia('ffprobe', RUNNING)).info;
    expect(running).toMatchObject({ kind: 'video', width: 512, height: 512, fps: 25, frameCount: 42, hasAudio: false, codec: 'h264' });
    expect(running.durationSec).toBeCloseTo(1.68, 2);
    expect((await probeMedia('ffprobe', DEMO4)).info.frameCount).toBe(107);
  });

  it('reads a PNG as an image', async () => {
    expect((await probeMedia('ffprobe', MONALISA)).info).toMatchObject({ kind: 'image', frameCount: 1, fps: 0, durationSec: 0 });
  });
});

describe('probe: bad-input corpus', () => {
  const failures: [string, (dir: string) => string, ErrorCode, RegExp][] = [
    ['zero-byte file', build.zeroByte, 'corrupt_media', /empty \(0 bytes\).*get the file again/],
    ['text file named .mp4', build.textFile, 'unsupported_media', /not a media file.*Choose a video/],
    ['mp4 cut before its moov atom', build.truncatedNoMoov, 'corrupt_media', /moov atom.*missing.*Get the complete file/],
    ['faststart mp4 cut mid-data', build.truncatedFaststart, 'corrupt_media', /truncated: its header lists 42 frames but only \d+ are present/],
    ['video track with zero frames', build.zeroFrames, 'corrupt_media', /no frames\. Re-export/],
    ['image wider than 8192 px', build.tooWide, 'media_too_large', /9000×64 .*limit is 8192 px per side.*Scale it down/],
    ['image over 64 MP', build.tooManyPixels, 'media_too_large', /8100×8000 \(64\.8 MP\)/],
  ];
  let tried = 0;
  let unexpected = 0;
  afterAll(() => figureLine('probe', tried, unexpected, `${failures.length} rejected with specific codes`));

  for (const [label, make, code, message] of failures) {
    it(`rejects a ${label} with ${code}`, async () => {
      tried += 1;
      const err = await failureOf(make(corpus.dir));
      if (err.code !== code) unexpected += 1;
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
    });
  }

  it('rejects a missing file with not_found', async () => {
    tried += 1;
    expect((await failureOf(`${corpus.dir}/nope.mp4`)).code).toBe('not_found');
  });

  it('describes unusual but valid inputs', async () => {
    const audio = (await probeMedia('ffprobe', build.audioOnly(corpus.dir))).info;
    expect(audio).toMatchObject({ kind: 'audio', hasAudio: true, audioCodec: 'aac', sampleRate: 44100, frameCount: 0 });
    expect(audio.durationSec).toBeGreaterThan(1.4);

    const withAudio = (await probeMedia('ffprobe', build.colourWithAudio(corpus.dir))).info;
    expect(withAudio).toMatchObject({ kind: 'video', frameCount: 50, hasAudio: true, width: 160, height: 120 });

    const vfr = (await probeMedia('ffprobe', build.vfrClip(corpus.dir))).info;
    expect(vfr.frameCount).toBe(20); // counted packets: mkv has no nb_frames, duration·fps would say 39
    const odd = (await probeMedia('ffprobe', build.oddSize(corpus.dir))).info;
    expect(odd).toMatchObject({ width: 67, height: 45, frameCount: 6 });
    expect((await probeMedia('ffprobe', build.webm(corpus.dir))).info).toMatchObject({ frameCount: 7, fps: 10 });

    const deep = await probeMedia('ffprobe', build.png16(corpus.dir));
    expect(deep).toMatchObject({ bitDepth: 16, hasAlpha: false });
    expect((await probeMedia('ffprobe', build.pngAlpha(corpus.dir))).hasAlpha).toBe(true);
    const cmyk = await probeMedia('ffprobe', build.cmykJpeg(corpus.dir));
    expect(cmyk).toMatchObject({ hasAlpha: false, info: { kind: 'image', width: 16, height: 8 } });
    tried += 8;
  });
});

describe('probe: pure interpretation', () => {
  it('parses rates and falls back from avg_frame_rate to r_frame_rate', () => {
    expect(parseRate('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseRate('0/0')).toBeNaN();
    const info = interpretProbe('x.mp4', {
      format: { format_name: 'mov,mp4', duration: '2' },
      streams: [{ codec_type: 'video', width: 8, height: 8, avg_frame_rate: '0/0', r_frame_rate: '24/1' }],
    }).info;
    expect(info).toMatchObject({ fps: 24, frameCount: 48 }); // no counts at all: duration·fps
  });

  it('ignores cover art in audio files', () => {
    const info = interpretProbe('song.mp3', {
      format: { format_name: 'mp3', duration: '3' },
      streams: [
        { codec_type: 'audio', codec_name: 'mp3', sample_rate: '44100' },
        { codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } },
      ],
    }).info;
    expect(info.kind).toBe('audio');
  });
});

