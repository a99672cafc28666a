// The Model manager (render panel "Manage…", Project menu "Models…"): the installed models with
// their resolution, precision, size and source, Remove (after a confirmation), and the import form.
import type { ModelInfo } from '../../shared/contract';
import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import { useModels } from '../render/useModels';
import { useStore } from '../state/useStore';
import { ImportModelForm } from './ImportModelForm';
import { closeModelManager, modelManagerStore, removeModel } from './modelActions';
import { formatBytes } from './modelManagerState';

function ModelRow({ model }: { model: ModelInfo }) {
  const api = useApi();
  const t = useT();
  const name = model.id === 'demo' ? t('render.demoModel') : model.name;
  return (
    <tr data-testid="model-row" data-id={model.id}>
      <td className="model-name" title={model.dir}>
        {name}
      </td>
      <td>{t('models.resolution', { width: model.width, height: model.height })}</td>
      <td>{model.precision}</td>
      <td className="numeric">{formatBytes(model.sizeBytes)}</td>
      <td className="model-source" title={model.source}>
        {model.source}
      </td>
      <td>
        <button className="secondary-button small" data-testid="model-remove" aria-label={`${t('models.remove')} ${name}`} onClick={() => void removeModel(api, model)}>
          {t('models.remove')}
        </button>
      </td>
    </tr>
  );
}

function ModelTable() {
  const t = useT();
  const { models, loading, error } = useModels();
  if (error) return <p className="form-error">{error}</p>;
  if (models.length === 0) return <p className="ask-hint">{loading ? t('models.loading') : t('models.none')}</p>;
  return (
    <table className="model-table" data-testid="model-table" aria-busy={loading}>
      <thead>
        <tr>
          <th>{t('models.colName')}</th>
          <th>{t('models.colResolution')}</th>
          <th>{t('models.colPrecision')}</th>
          <th className="numeric">{t('models.colSize')}</th>
          <th>{t('models.colSource')}</th>
          <th aria-hidden />
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <ModelRow key={m.id} model={m} />
        ))}
      </tbody>
    </table>
  );
}

export function ModelManager() {
  const t = useT();
  const open = useStore(modelManagerStore, (s) => s.open);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onClick={closeModelManager}>
      <div className="modal model-manager" data-testid="model-manager" role="dialog" aria-modal aria-label={t('models.title')} onClick={(e) => e.stopPropagation()}>
        <header className="modal-header">
          <h2>{t('models.title')}</h2>
          <button className="icon-button" aria-label={t('help.close')} onClick={closeModelManager}>
            ×
          </button>
        </header>
        <div className="model-manager-body">
          <section>
            <h3 className="panel-section-title">{t('models.installed')}</h3>
            <ModelTable />
          </section>
          <ImportModelForm />
        </div>
      </div>
    </div>
  );
}
