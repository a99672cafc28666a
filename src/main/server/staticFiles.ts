// Serves the built renderer (out/renderer). index.html gets a CSP header and the token as a meta
// tag, so the page can reach the WebSocket even after the URL has lost its query.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { hasTraversal, isInside } from '../services/frameRoutes';
import { sendError, sendFile } from './responses';

export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React and wavesurfer set inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self' ws://${host}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function injectToken(html: string, token: string): string {
  const meta = `<meta name="studio-token" content="${escapeAttribute(token)}">`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}\n    ${meta}`) : `${meta}\n${html}`;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>MagicAnimate Studio</title>
<p>The renderer has not been built yet. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p>`;

export async function serveRenderer(
  res: ServerResponse,
  rawPath: string,
  options: { rendererDir: string; token: string; host: string; method: string; extraHeaders: Record<string, string> },
): Promise<void> {
  const root = resolve(options.rendererDir);
  const isIndex = rawPath === '/' || rawPath === '/index.html';
  if (isIndex) {
    const indexFile = join(root, 'index.html');
    if (!existsSync(indexFile)) {
      res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...options.extraHeaders });
      res.end(NOT_BUILT);
      return;
    }
    const html = injectToken(await readFile(indexFile, 'utf8'), options.token);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': contentSecurityPolicy(options.host),
      ...options.extraHeaders,
    });
    res.end(options.method === 'HEAD' ? undefined : html);
    return;
  }
  if (hasTraversal(rawPath)) {
    sendError(res, 400, 'invalid_request', 'Path not allowed.');
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    sendError(res, 400, 'invalid_request', 'Malformed path.');
    return;
  }
  const file = resolve(root, `.${decoded}`);
  if (!isInside(file, root)) {
    sendError(res, 400, 'invalid_request', 'Path not allowed.');
    return;
  }
  // Vite names assets by content hash, so they never change under the same URL.
  const cache = decoded.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache';
  await sendFile(res, file, cache, options.method);
}
