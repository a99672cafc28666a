import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/services/dispatcher';
import { hasTraversal, isInside, parseFrameRoute } from '../../src/main/services/frameRoutes';
import { DEFAULT_SETTINGS } from '../../src/shared/contract';
import { StudioFailure } from '../../src/shared/result';
import { quietLog } from './helpers';

describe('dispatcher', () => {
  const dispatcher = createDispatcher(
    {
      'settings.get': () => DEFAULT_SETTINGS,
      'media.probe': ({ path }) => {
        if (path === '/missing') throw new StudioFailure('not_found', 'No file at /missing.', { path });
        throw new Error('kaboom at /secret/internal/place');
      },
      // Returns the wrong shape on purpose: the dispatcher checks outputs against the contract.
      'models.list': () => [{ id: 1 }] as never,
    },
    { log: quietLog, unavailable: { 'dialog.open': 'Needs the desktop app.' } },
  );

  it('answers unknown channels, including prototype keys', async () => {
    for (const channel of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await dispatcher.dispatch(channel as string, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('validates payloads and names the field', async () => {
    const result = await dispatcher.dispatch('media.probe', { path: 3 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_request');
    expect(result.error.message).toMatch(/'media\.probe': path: /);
    expect(result.error.detail).toEqual([expect.objectContaining({ path: 'path', code: 'invalid_type' })]);
    const extra = await dispatcher.dispatch('settings.get', { sneaky: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('maps StudioFailure to its code and other exceptions to a safe internal error', async () => {
    expect(await dispatcher.dispatch('media.probe', { path: '/missing' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No file at /missing.', detail: { path: '/missing' } },
    });
    const crash = await dispatcher.dispatch('media.probe', { path: '/x' });
    expect(crash).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(crash)).not.toContain('/secret');
    expect(quietLog.errors.some((m) => m.includes('media.probe'))).toBe(true);
  });

  it('rejects outputs that break the contract, and reports missing services as not_available', async () => {
    expect(await dispatcher.dispatch('models.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await dispatcher.dispatch('dialog.open', { kind: 'media' })).toEqual({
      ok: false,
      error: { code: 'not_available', message: 'Needs the desktop app.' },
    });
    expect(await dispatcher.dispatch('render.cancel', { jobId: 'x' })).toMatchObject({ ok: false, error: { code: 'not_available' } });
    expect(await dispatcher.dispatch('settings.get', {})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });
});

describe('frame routes', () => {
  it('parses the three URL shapes and nothing else', () => {
    expect(parseFrameRoute('/frames/media/abc_1/12.jpg')).toEqual({ kind: 'media', mediaId: 'abc_1', index: 12 });
    expect(parseFrameRoute('/thumbs/abc/0.jpg')).toEqual({ kind: 'thumb', mediaId: 'abc', index: 0 });
    expect(parseFrameRoute('/frames/job/j-1/preview/5.png')).toEqual({ kind: 'job', jobId: 'j-1', frameKind: 'preview', index: 5 });
    for (const bad of ['/frames/media/abc/1.png', '/frames/job/j/other/1.png', '/frames/media//1.jpg', '/frames/media/a/-1.jpg', '/frames/media/a.b..c/1.jpg']) {
      expect(parseFrameRoute(bad), bad).toBeNull();
    }
  });

  it('spots traversal in any spelling', () => {
    for (const bad of ['/a/../b', '/a/%2e%2e/b', '/a/%2E%2e/b', '/a/%252e%252e/b', '/a%2fb', '/a%5cb', '/a\\b', '/a%00', '/a/%zz']) {
      expect(hasTraversal(bad), bad).toBe(true);
    }
    for (const good of ['/frames/media/abc/1.jpg', '/assets/index-AbC.js', '/a%20b.png']) expect(hasTraversal(good), good).toBe(false);
  });

  it('checks containment after resolution', () => {
    expect(isInside('/data/cache/x.jpg', '/data')).toBe(true);
    expect(isInside('/data', '/data')).toBe(false);
    expect(isInside('/data-other/x', '/data')).toBe(false);
    expect(isInside('/etc/passwd', '/data')).toBe(false);
  });
});
