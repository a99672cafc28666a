import { describe, expect, it } from 'vitest';
import { desktopRevealer, revealCommand } from '../../src/main/services/revealItem';

describe('revealing an export in the file manager (browser mode)', () => {
  it('selects the file on macOS and Windows, opens its folder with xdg-open on Linux', () => {
    expect(revealCommand('/a/b/out.mp4', 'darwin', null)).toEqual({ bin: 'open', args: ['-R', '/a/b/out.mp4'] });
    expect(revealCommand('C:\\x\\out.mp4', 'win32', null)).toEqual({ bin: 'explorer.exe', args: ['/select,C:\\x\\out.mp4'] });
    expect(revealCommand('/a/b/out.mp4', 'linux', '/usr/bin/xdg-open')).toEqual({ bin: '/usr/bin/xdg-open', args: ['/a/b'] });
    expect(revealCommand('/a/b/out.mp4', 'linux', null)).toBeNull();
  });

  it('is unavailable on a Linux machine without xdg-open', () => {
    expect(desktopRevealer('linux', { PATH: '/nonexistent-dir' })).toBeNull();
    expect(desktopRevealer('darwin', { PATH: '' })).toBeTypeOf('function');
  });
});
