// The studio:// scheme. studio://app/… serves the built renderer (so it gets a real origin and a
// CSP header, which file:// cannot carry); studio://frames/… and studio://thumbs/… serve cached
// and rendered frames through the same strict parser and root check as browser mode.
import { net, protocol } from 'electron';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasTraversal, isInside, parseFrameRoute, resolveFrameFile } from '../services/frameRoutes';
import type { Services } from '../services/index';

export const SCHEME = 'studio';
export const APP_ORIGIN = `${SCHEME}://app`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' ${SCHEME}: data: blob:`,
  `media-src 'self' ${SCHEME}: blob:`,
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Must run before app 'ready'. */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

const notFound = (): Response => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

async function serveApp(rendererDir: string, rawPath: string): Promise<Response> {
  const root = resolve(rendererDir);
  const file = resolve(root, `.${rawPath === '/' ? '/index.html' : decodeURIComponent(rawPath)}`);
  if (!isInside(file, root)) return notFound();
  const response = await net.fetch(pathToFileURL(file).toString());
  if (!file.endsWith('.html')) return response;
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return new Response(response.body, { status: response.status, headers });
}

export function handleStudioProtocol(services: Services, rendererDir: string): void {
  protocol.handle(SCHEME, async (request) => {
    // NOTE: Chromium canonicalises standard-scheme URLs (resolving `..`) before we see them;
    // the parser and the root check below still refuse anything that is not a known shape.
    const rest = request.url.slice(`${SCHEME}://`.length).split(/[?#]/)[0];
    const slash = rest.indexOf('/');
    const host = slash < 0 ? rest : rest.slice(0, slash);
    const rawPath = slash < 0 ? '/' : rest.slice(slash);
    if (hasTraversal(rawPath)) return notFound();
    try {
      if (host === 'app') return await serveApp(rendererDir, rawPath);
      const route = parseFrameRoute(`/${host}${rawPath}`);
      if (!route) return notFound();
      const file = await resolveFrameFile(route, services.frames, services.frameRoots);
      return file ? await net.fetch(pathToFileURL(file).toString()) : notFound();
    } catch (err) {
      services.ctx.log.error(`studio:// request for ${rawPath} failed`, err);
      return new Response('Error', { status: 500 });
    }
  });
}
