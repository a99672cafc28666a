// WeightSource for torch.save zip archives (.bin / .ckpt): `<root>/data.pkl` holds the pickled
// state dict, `<root>/data/<key>` the raw little-endian storages. The root folder is the file
// stem for torch 1.x and `archive` for newer writers, so it is discovered, not assumed.
import { unpickle } from './pickle';
import type { WeightSource } from './source';
import { TableSource } from './tableSource';
import { MAX_PICKLE_BYTES, stateDictViews, torchInvalid, viewTable } from './torchViews';
import { ZipArchive } from './zipArchive';

function findRoot(zip: ZipArchive): string {
  const pickles = [...zip.entries.keys()].filter((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (pickles.length !== 1) {
    throw torchInvalid(zip.file, `expected one <root>/data.pkl in the archive, found ${pickles.length} (not a torch.save file?)`);
  }
  return pickles[0].slice(0, -'/data.pkl'.length);
}

/** Opens a torch zip checkpoint; the pickle is parsed and every view checked now, tensor bytes read on demand. */
export function openTorchZip(file: string): WeightSource {
  const zip = ZipArchive.open(file);
  zip.verifyEntries();
  const root = findRoot(zip);
  const pickle = zip.entries.get(`${root}/data.pkl`);
  if (pickle && pickle.size > MAX_PICKLE_BYTES) {
    throw torchInvalid(file, `${root}/data.pkl declares ${pickle.size} bytes; a state dict's pickle is far smaller (corrupt file?)`);
  }
  const views = stateDictViews(unpickle(zip.read(`${root}/data.pkl`), file), file);
  const table = viewTable(file, views, (key, view) => {
    const name = `${root}/data/${view.storage.key}`;
    const entry = zip.entries.get(name);
    if (!entry) throw torchInvalid(file, `its storage ${name} is missing from the archive`, key);
    return { size: entry.size, read: (offset, length) => zip.read(name, offset, length) };
  });
  return new TableSource(file, table);
}
