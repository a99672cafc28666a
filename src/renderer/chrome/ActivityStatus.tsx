import { useT } from '../i18n/useT';
import { useImports, usePlaying } from '../state/hooks';

/** "Ready", "Playing", or the import in flight with its decoding progress. */
export function ActivityStatus() {
  const t = useT();
  const imports = useImports();
  const playing = usePlaying();
  const current = imports[0];
  if (current) {
    const fraction = current.total > 0 ? Math.min(1, current.decoded / current.total) : null;
    const label =
      current.total > 0
        ? t('status.importingCount', { name: current.fileName, done: current.decoded, total: current.total })
        : t('status.importing', { name: current.fileName });
    return (
      <div className="activity busy" data-testid="import-progress" role="status">
        <span className="spinner" aria-hidden />
        <span className="activity-text">{label}</span>
        <span className={`progress${fraction === null ? ' indeterminate' : ''}`}>
          <span className="progress-fill" style={{ width: fraction === null ? undefined : `${fraction * 100}%` }} />
        </span>
        {imports.length > 1 && <span className="activity-more">+{imports.length - 1}</span>}
      </div>
    );
  }
  return (
    <div className="activity" role="status" data-testid="activity">
      <span className={`status-dot${playing ? ' playing' : ''}`} aria-hidden />
      <span className="activity-text">{t(playing ? 'status.playing' : 'status.ready')}</span>
    </div>
  );
}
