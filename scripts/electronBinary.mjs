// Where the downloaded Electron binary is, or null. NOTE: this repeats what require('electron')
// computes instead of calling it, because require('electron') starts a download when the binary
// is absent (and downloads fail offline).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} repo the repository root @returns {string | null} */
export function electronBinary(repo) {
  const pkgDir = join(repo, 'node_modules', 'electron');
  try {
    const relative = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
    const binary = join(base, relative);
    return relative && statSync(binary).isFile() ? binary : null;
  } catch {
    return null;
  }
}
