// What browser mode keeps between starts in `<dataDir>/server.json`: the port it listened on and
// its access token. Starting again on the same data folder reuses both, so a bookmark and an open
// tab (which reconnects by itself, see renderer/api/wsClient.ts) survive a restart. The file is
// the person's own (mode 0600, like settings.json); deleting it gives a new port and token.
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../compiler/weights/atomicWrite';

export const SERVER_FILE = 'server.json';

const ServerIdentitySchema = z.object({
  port: z.number().int().min(1).max(65535).optional(),
  token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/).optional(),
});
export type ServerIdentity = z.infer<typeof ServerIdentitySchema>;

/** The remembered port and token; a missing or damaged file remembers nothing. */
export function readServerIdentity(dataDir: string): ServerIdentity {
  try {
    const parsed = ServerIdentitySchema.safeParse(JSON.parse(readFileSync(join(dataDir, SERVER_FILE), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function saveServerIdentity(dataDir: string, identity: ServerIdentity): void {
  const file = join(dataDir, SERVER_FILE);
  writeFileAtomic(file, [`${JSON.stringify(identity, null, 2)}\n`]);
  try {
    chmodSync(file, 0o600);
  } catch {
    // NOTE: Windows has no POSIX modes; the data folder is per user there anyway.
  }
}

/**
 * The port to ask for: an explicit --port wins (0: any free port, not remembered); without one,
 * the remembered port, or any free port on the first start.
 */
export function portToTry(explicit: number | null, remembered: ServerIdentity): { port: number; fallback: boolean } {
  if (explicit !== null) return { port: explicit, fallback: false };
  return { port: remembered.port ?? 0, fallback: true };
}
