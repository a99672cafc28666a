import { useT } from '../i18n/useT';

/** What the viewer says before anything is imported. */
export function EmptyViewer() {
  const t = useT();
  return (
    <div className="viewer-empty">
      <div className="viewer-empty-icon" aria-hidden>
        ⬚
      </div>
      <h2>{t('viewer.emptyTitle')}</h2>
      <p>{t('viewer.emptyHint')}</p>
    </div>
  );
}
