// The Model manager's import form: three checkpoint folders (Choose… where a native dialog
// exists; typed absolute paths in browser mode), an optional text embedding file, the name and
// fp16; then the import's progress with its network and ETA, Cancel, and how it ended.
import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import type { StringKey } from '../i18n/strings';
import { Field, ProgressBar, formatEta } from '../render/fields';
import { useAppMode } from '../state/hooks';
import { useStore } from '../state/useStore';
import { cancelModelImport, chooseFolder, closeModelManager, modelManagerStore, setImportForm, startModelImport } from './modelActions';
import { formProblem, type ImportForm } from './modelManagerState';

type FolderKey = 'sd15Dir' | 'vaeDir' | 'magicAnimateDir';
const FOLDERS: { key: FolderKey; label: StringKey; hint: StringKey; testId: string }[] = [
  { key: 'sd15Dir', label: 'models.sd15Dir', hint: 'models.sd15Hint', testId: 'model-sd15' },
  { key: 'vaeDir', label: 'models.vaeDir', hint: 'models.vaeHint', testId: 'model-vae' },
  { key: 'magicAnimateDir', label: 'models.magicAnimateDir', hint: 'models.magicAnimateHint', testId: 'model-magicanimate' },
];

function PathField({ form, folder, disabled }: { form: ImportForm; folder: (typeof FOLDERS)[number]; disabled: boolean }) {
  const api = useApi();
  const t = useT();
  const mode = useAppMode();
  const choose = async (): Promise<void> => {
    const picked = await chooseFolder(api);
    if (picked) setImportForm({ [folder.key]: picked });
  };
  return (
    <Field label={t(folder.label)} hint={t(folder.hint)}>
      <div className="path-row">
        <input className="field-input" data-testid={folder.testId} placeholder={t(folder.hint)} value={form[folder.key]} disabled={disabled} spellCheck={false} onChange={(e) => setImportForm({ [folder.key]: e.target.value })} />
        {mode === 'electron' && (
          <button className="secondary-button" disabled={disabled} onClick={() => void choose()}>
            {t('models.choose')}
          </button>
        )}
      </div>
    </Field>
  );
}

function ImportStatus() {
  const api = useApi();
  const t = useT();
  const { task, starting, outcome } = useStore(modelManagerStore, (s) => s);
  if (task || starting) {
    const network = !task?.network ? '' : task.network.startsWith('text-') || task.network === 'manifest' || task.network === 'done' ? t(`modelPhase.${task.network}` as StringKey) : task.network;
    return (
      <div className="export-task" data-testid="model-import-progress" title={task?.message}>
        <ProgressBar fraction={task?.network ? task.fraction : null} />
        <span>{task?.network ? t('models.progress', { network, percent: Math.floor(task.fraction * 100), eta: formatEta(task.etaSec) }) : t('models.starting')}</span>
        <button className="secondary-button" data-testid="model-import-cancel" disabled={!task} onClick={() => void cancelModelImport(api)}>
          {t('render.cancel')}
        </button>
      </div>
    );
  }
  if (!outcome) return null;
  if (outcome.kind === 'error') {
    return (
      <div className="form-error" role="alert" data-testid="model-error">
        <strong>{t(outcome.title === 'import' ? 'models.importFailed' : 'models.removeFailed')}</strong>
        <span>{outcome.message}</span>
      </div>
    );
  }
  return (
    <p className="form-success" data-testid="model-import-outcome" data-kind={outcome.kind}>
      {t(outcome.kind === 'imported' ? 'models.imported' : 'models.aborted', { name: outcome.name })}
    </p>
  );
}

const PROBLEM_TEXT = { folders: 'models.problemFolders', name: 'models.problemName', frameSize: 'models.problemFrameSize' } as const;

export function ImportModelForm() {
  const api = useApi();
  const t = useT();
  const mode = useAppMode();
  const form = useStore(modelManagerStore, (s) => s.form);
  const busy = useStore(modelManagerStore, (s) => s.task !== null || s.starting);
  const justImported = useStore(modelManagerStore, (s) => s.outcome?.kind === 'imported');
  const problem = formProblem(form);
  return (
    <section className="model-import" data-testid="model-import">
      <h3 className="panel-section-title">{t('models.importTitle')}</h3>
      <p className="ask-hint">
        {t('models.importHint')}
        {mode === 'browser' && <> {t('models.browserPaths')}</>}
      </p>
      {FOLDERS.map((folder) => (
        <PathField key={folder.key} form={form} folder={folder} disabled={busy} />
      ))}
      <Field label={t('models.textEmbedding')} hint={t('models.textEmbeddingHint')}>
        <input className="field-input" data-testid="model-embedding" placeholder={t('models.textEmbeddingHint')} value={form.textEmbeddingPath} disabled={busy} spellCheck={false} onChange={(e) => setImportForm({ textEmbeddingPath: e.target.value })} />
      </Field>
      <div className="model-name-row">
        <Field label={t('models.name')}>
          <input className="field-input" data-testid="model-name" value={form.name} disabled={busy} maxLength={100} onChange={(e) => setImportForm({ name: e.target.value })} />
        </Field>
        <Field label={t('models.frameSize')} hint={t('models.frameSizeHint')}>
          <input className="field-input" data-testid="model-frame-size" placeholder={t('models.frameSizeNative')} value={form.frameSize} disabled={busy} spellCheck={false} onChange={(e) => setImportForm({ frameSize: e.target.value })} />
        </Field>
        <label className="checkbox-label">
          <input type="checkbox" data-testid="model-fp16" checked={form.fp16} disabled={busy} onChange={(e) => setImportForm({ fp16: e.target.checked })} />
          {t('models.fp16')}
        </label>
      </div>
      <ImportStatus />
      <footer className="modal-footer">
        {problem && !busy && !justImported && <span className="footer-hint">{t(PROBLEM_TEXT[problem])}</span>}
        <button className="secondary-button" onClick={closeModelManager}>
          {t('help.close')}
        </button>
        <button className="primary-button" data-testid="model-import-start" disabled={busy || problem !== null} onClick={() => void startModelImport(api)}>
          {t('models.import')}
        </button>
      </footer>
    </section>
  );
}
