// Brings a parsed project file up to the current format. Version 1 is the only format so far, so
// the chain is empty; a later format adds one step per version here (`fromV1`, …) and bumps
// PROJECT_FORMAT_VERSION. Files from a NEWER app are refused: reading them would silently drop
// whatever the newer format added, and the next save would destroy it.
import { PROJECT_FORMAT_VERSION } from '../../shared/projectFile';
import { StudioFailure } from '../../shared/result';

type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;

/** MIGRATIONS[v] turns a version-v object into a version-(v+1) object. */
const MIGRATIONS: Record<number, Migration> = {};

function versionOf(raw: Record<string, unknown>, file: string): number {
  const version = raw.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StudioFailure('corrupt_project', `${file} is not a MagicAnimate Studio project (it has no valid "formatVersion").`);
  }
  return version;
}

/** Returns an object in the current format (still to be validated by ProjectSchema). */
export function migrateProject(raw: unknown, file: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StudioFailure('corrupt_project', `${file} is not a MagicAnimate Studio project (expected a JSON object).`);
  }
  let current = raw as Record<string, unknown>;
  let version = versionOf(current, file);
  if (version > PROJECT_FORMAT_VERSION) {
    throw new StudioFailure(
      'unsupported_version',
      `${file} was saved by a newer version of MagicAnimate Studio (project format ${version}); this version reads format ${PROJECT_FORMAT_VERSION} and older. Update the app to open it.`,
      { formatVersion: version, supported: PROJECT_FORMAT_VERSION },
    );
  }
  while (version < PROJECT_FORMAT_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new StudioFailure('unsupported_version', `${file} uses project format ${version}, which this version cannot convert.`);
    current = step(current);
    version += 1;
  }
  return current;
}
