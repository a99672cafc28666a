import { describe, expect, it } from 'vitest';
import { buildEncodeArgs } from '../../src/main/media/encode';
import { gridComposition, parseSize, resultComposition } from '../../src/main/media/grid';

const grid = gridComposition({ cell: { width: 64, height: 64 }, fit: 'crop', fps: 25, count: 10, referencePath: '/r.png', motionPath: '/m.mp4', motionStart: 12 });

describe('grid compositing arguments', () => {
  it('stacks reference | DensePose | result, retimed to the export rate, the clip from motionStart', () => {
    expect(grid.inputs).toEqual([['-loop', '1', '-framerate', '25', '-i', '/r.png'], ['-i', '/m.mp4']]);
    expect(grid.graph).toContain('[2:v]trim=start_frame=12:end_frame=22,settb=1/25,setpts=N');
    expect(grid.graph).toContain('tpad=stop_mode=clone:stop=10'); // a short clip holds its last frame
    expect(grid.graph).toMatch(/scale=64:64:force_original_aspect_ratio=increase.*crop=64:64/); // the render's fit
    expect(grid.graph.endsWith('[ref][pose][out]hstack=inputs=3:shortest=1[composed]')).toBe(true);
    expect(parseSize('640x360')).toEqual({ width: 640, height: 360 });
    expect(resultComposition({ width: 96, height: 64 }, 25).graph).toMatch(/^\[0:v\]settb=1\/25,setpts=N,.*pad=96:64.*\[composed\]$/);
  });

  it('routes the composed stream through the format filters and finds the audio after the extra inputs', () => {
    const args = buildEncodeArgs({ format: 'mp4', framesDir: '/f', range: { start: 4, end: 14 }, fps: 25, audioPath: '/a.wav', audioStartSec: 1, compose: grid, outPath: '/o.mp4' }, '/t.mp4');
    const joined = args.join(' ');
    expect(joined).toContain('-i /f/%06d.png -loop 1 -framerate 25 -i /r.png -i /m.mp4 -ss 1.000000 -t 0.400000 -i /a.wav');
    expect(joined).toContain('[composed]trim=end_frame=10,crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0,format=yuv420p[vout]');
    expect(joined).toContain('-map [vout]');
    expect(joined).toContain('-map 3:a:0?');
    expect(joined).not.toContain('-map 0:v:0');
    expect(args.filter((a) => a === '-vf')).toEqual([]);
  });
});
