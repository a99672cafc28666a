// Finding the three checkpoint folders (SD1.5, VAE, MagicAnimate) inside one parent folder, as
// people store them:
//   - the official repo's layout: <repo>/pretrained_models/{stable-diffusion-v1-5, sd-vae-ft-mse, MagicAnimate};
//   - a Hugging Face cache: <hub>/models--runwayml--stable-diffusion-v1-5/snapshots/<hash>/…
//     (also its parent, ~/.cache/huggingface, which holds hub/);
//   - the three folders side by side under any names.
// Folders are recognised by what they hold, not by their names; the names only break ties.
import fs from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../shared/result';

export type CheckpointLayoutKind = 'official' | 'huggingface-cache' | 'side-by-side';

export interface FoundCheckpointFolders {
  sd15Dir: string;
  vaeDir: string;
  magicAnimateDir: string;
  layout: CheckpointLayoutKind;
}

type Role = 'sd15Dir' | 'vaeDir' | 'magicAnimateDir';

const ROLE_NAMES: Record<Role, string> = { sd15Dir: 'Stable Diffusion 1.5', vaeDir: 'sd-vae-ft-mse VAE', magicAnimateDir: 'MagicAnimate' };
/** Names that break a tie between two folders of one kind (official names, then Hugging Face repo ids). */
const PREFERRED: Record<Role, RegExp> = {
  sd15Dir: /^(stable-diffusion-v1-5|models--[^-]+(-[^-]+)*--stable-diffusion-v1-5)$/i,
  vaeDir: /^(sd-vae-ft-mse|models--stabilityai--sd-vae-ft-mse)$/i,
  magicAnimateDir: /^(magicanimate|models--zcxu-eric--magicanimate)$/i,
};
const HF_REPO = /^models--.+--.+$/;
/** Folders listed per parent at most (a home folder can be large; the layouts are shallow). */
const MAX_LISTED = 2000;

const isDir = (dir: string): boolean => {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
};
const isFile = (file: string): boolean => {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * A Hugging Face cache repository folder (`models--org--name`, with refs/ and snapshots/) stands
 * for the snapshot `refs/main` names, else its only (or newest) snapshot; other folders are returned as they are.
 */
export function resolveHfSnapshot(dir: string): string {
  const snapshots = path.join(dir, 'snapshots');
  if (!isDir(snapshots)) return dir;
  const ref = path.join(dir, 'refs', 'main');
  if (isFile(ref)) {
    const hash = fs.readFileSync(ref, 'utf8').trim();
    if (/^[0-9a-f]{7,64}$/i.test(hash) && isDir(path.join(snapshots, hash))) return path.join(snapshots, hash);
  }
  const all = fs.readdirSync(snapshots).map((name) => path.join(snapshots, name)).filter(isDir);
  if (all.length === 0) throw new StudioFailure('model_missing', `the Hugging Face cache folder ${dir} holds no snapshot (the download did not finish?)`, { file: dir });
  return all.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

function readConfigClass(file: string): string | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { _class_name?: unknown };
    return typeof json._class_name === 'string' ? json._class_name : undefined;
  } catch {
    return undefined;
  }
}

/** What kind of checkpoint folder `dir` is, from its contents. */
export function classifyFolder(dir: string): Role | null {
  if (isDir(path.join(dir, 'appearance_encoder')) || isDir(path.join(dir, 'temporal_attention'))) return 'magicAnimateDir';
  if (isFile(path.join(dir, 'unet', 'config.json'))) return 'sd15Dir';
  const config = path.join(dir, 'config.json');
  if (isFile(config) && readConfigClass(config) === 'AutoencoderKL') return 'vaeDir';
  return null;
}

function subfolders(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.slice(0, MAX_LISTED).map((name) => path.join(dir, name)).filter(isDir);
}

/** The places a layout's folders sit under: the folder itself, its pretrained_models/, its hub/. */
function bases(root: string): { dir: string; layout: CheckpointLayoutKind }[] {
  const list: { dir: string; layout: CheckpointLayoutKind }[] = [];
  const official = path.join(root, 'pretrained_models');
  if (isDir(official)) list.push({ dir: official, layout: 'official' });
  const hub = path.join(root, 'hub');
  if (isDir(hub)) list.push({ dir: hub, layout: 'huggingface-cache' });
  list.push({ dir: root, layout: path.basename(root) === 'pretrained_models' ? 'official' : 'side-by-side' });
  return list;
}

interface Candidate {
  role: Role;
  dir: string;
  name: string;
  layout: CheckpointLayoutKind;
}

function candidatesUnder(root: string): Candidate[] {
  const found: Candidate[] = [];
  for (const base of bases(root)) {
    for (const folder of subfolders(base.dir)) {
      const name = path.basename(folder);
      const hf = HF_REPO.test(name);
      let dir = folder;
      try {
        dir = hf ? resolveHfSnapshot(folder) : folder;
      } catch {
        continue; // an unfinished download is not a candidate
      }
      const role = classifyFolder(dir);
      if (role) found.push({ role, dir, name, layout: hf ? 'huggingface-cache' : base.layout });
    }
  }
  return found;
}

function pick(role: Role, candidates: Candidate[], root: string): Candidate {
  const mine = candidates.filter((c) => c.role === role);
  if (mine.length === 0) {
    throw new StudioFailure('model_missing', `no ${ROLE_NAMES[role]} folder found in ${root} (looked in it, its pretrained_models/ and hub/ folders, and Hugging Face cache folders)`, { file: root, role });
  }
  if (mine.length === 1) return mine[0];
  const preferred = mine.filter((c) => PREFERRED[role].test(c.name));
  if (preferred.length === 1) return preferred[0];
  throw new StudioFailure('model_invalid', `${root} holds several ${ROLE_NAMES[role]} folders (${mine.map((c) => c.name).join(', ')}); choose the folders one by one`, { file: root, role });
}

/** The three folders inside `root` (see the layouts above), or a model_missing error naming what is missing. */
export function findCheckpointFolders(root: string): FoundCheckpointFolders {
  if (!isDir(root)) throw new StudioFailure('model_missing', `${root} is not a folder (or does not exist)`, { file: root });
  const self = classifyFolder(resolveHfSnapshot(root));
  if (self) {
    throw new StudioFailure('model_missing', `${root} is the ${ROLE_NAMES[self]} folder itself; choose the folder that holds it and the other two`, { file: root, role: self });
  }
  const candidates = candidatesUnder(root);
  const sd15 = pick('sd15Dir', candidates, root);
  const vae = pick('vaeDir', candidates, root);
  const magicAnimate = pick('magicAnimateDir', candidates, root);
  const layouts = new Set([sd15.layout, vae.layout, magicAnimate.layout]);
  const layout = layouts.has('huggingface-cache') ? 'huggingface-cache' : layouts.has('official') ? 'official' : 'side-by-side';
  return { sd15Dir: sd15.dir, vaeDir: vae.dir, magicAnimateDir: magicAnimate.dir, layout };
}
