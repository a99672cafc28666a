// Who may talk to the browser-mode server. Three checks on every request and WebSocket upgrade:
// 1. the per-start token (query `token`, header `x-studio-token`, `Authorization: Bearer`, or the
//    HttpOnly cookie set when the page itself was opened with the token — NOTE: the cookie is
//    needed because <script src> and CSS sub-resources cannot carry a query token);
// 2. the Host header must name this server (defeats DNS rebinding onto 127.0.0.1);
// 3. an Origin header, when present, must be this server's own origin. A request without Origin
//    is only accepted for GET/HEAD (and the WebSocket upgrade, which is a GET): browsers always
//    send Origin on POST, so a missing one there is not a browser we served.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-studio-token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export interface Gate {
  token: string;
  port: number;
  /** False when bound to a non-loopback address with --allow-remote (any Host is accepted). */
  loopbackOnly: boolean;
  cookieName: string;
}

export type GateVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export function createGate(token: string, port: number, loopbackOnly: boolean): Gate {
  return { token, port, loopbackOnly, cookieName: `studio_token_${port}` };
}

function sameToken(candidate: string | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function presentedTokens(req: IncomingMessage, url: URL, gate: Gate): (string | undefined)[] {
  const auth = single(req.headers.authorization);
  return [
    url.searchParams.get('token') ?? undefined,
    single(req.headers[TOKEN_HEADER]),
    auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined,
    readCookie(req.headers.cookie, gate.cookieName),
  ];
}

function hostAllowed(host: string | undefined, gate: Gate): boolean {
  if (!host) return false;
  if (!gate.loopbackOnly) return true;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  return !!m && isLoopbackHost(m[1]) && Number(m[2] ?? 80) === gate.port;
}

export function checkRequest(req: IncomingMessage, url: URL, gate: Gate): GateVerdict {
  const host = single(req.headers.host);
  if (!hostAllowed(host, gate)) return { ok: false, status: 403, reason: 'This server only answers requests addressed to itself.' };
  const origin = single(req.headers.origin);
  const method = (req.method ?? 'GET').toUpperCase();
  if (origin === undefined) {
    if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 403, reason: 'Requests that change data must come from the studio page.' };
  } else if (origin !== `http://${host}`) {
    return { ok: false, status: 403, reason: 'Requests from other sites are refused.' };
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return { ok: false, status: 403, reason: 'Cross-site requests are refused.' };
  if (!presentedTokens(req, url, gate).some((t) => sameToken(t, gate.token))) {
    return { ok: false, status: 401, reason: 'Missing or wrong access token: open the address printed when the server started.' };
  }
  return { ok: true };
}

export function tokenCookie(gate: Gate): string {
  return `${gate.cookieName}=${gate.token}; HttpOnly; SameSite=Strict; Path=/`;
}
