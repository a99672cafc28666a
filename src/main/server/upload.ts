// POST /upload?name=<file name>: browser mode's stand-in for a file path. The browser cannot tell
// us where a dropped file lives, so it sends the bytes; we store them under <dataDir>/imports and
// answer with that path, which the renderer then uses like any other path.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ok } from '../../shared/result';
import type { Logger } from '../services/serviceTypes';
import { sendError, sendJson } from './responses';

export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

/** Keeps a readable, safe base name: letters, digits, dot, dash, underscore; no leading dots. */
export function sanitiseFileName(name: string | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .replace(/\.{2,}/g, '.')
    .slice(-100);
  return cleaned || 'upload';
}

class SizeLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new UploadTooLarge());
    else done(null, chunk);
  }
}

class UploadTooLarge extends Error {}

export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: { importsDir: string; maxBytes: number; log: Logger },
): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const limitText = `${(options.maxBytes / 1024 ** 3).toFixed(1)} GB`;
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    res.setHeader('Connection', 'close');
    sendError(res, 413, 'media_too_large', `The file is larger than the upload limit of ${limitText}.`);
    req.resume();
    return;
  }
  const name = `${randomBytes(8).toString('hex')}-${sanitiseFileName(url.searchParams.get('name'))}`;
  const target = join(options.importsDir, name);
  const partial = `${target}.part`;
  try {
    await mkdir(options.importsDir, { recursive: true });
    await pipeline(req, new SizeLimit(options.maxBytes), createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    if (err instanceof UploadTooLarge) {
      res.setHeader('Connection', 'close');
      sendError(res, 413, 'media_too_large', `The file is larger than the upload limit of ${limitText}.`);
      return;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') {
      sendError(res, 507, 'disk_full', 'The disk holding the data folder is full; free some space and try again.');
      return;
    }
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || req.destroyed) return; // the client went away
    options.log.error('upload failed', err);
    sendError(res, 500, 'io_error', 'The upload could not be stored in the data folder.');
    return;
  }
  sendJson(res, 200, ok({ path: target }));
}
