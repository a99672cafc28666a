import { useT } from '../i18n/useT';
import { useAppMode, useLanguage } from '../state/hooks';
import { languageStore, uiStore } from '../state/stores';
import { setHelpOpen } from '../state/uiState';
import { openExportDialog } from '../export/exportActions';
import { ActivityStatus } from './ActivityStatus';
import { ProjectMenu, ProjectTitle } from './ProjectMenu';

/** App name, Open…, what the app is doing, mode, language and help. */
export function TopBar({ onOpen }: { onOpen: () => void }) {
  const t = useT();
  const mode = useAppMode();
  const language = useLanguage();
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden />
        <span className="brand-name">{t('app.name')}</span>
      </div>
      <ProjectMenu />
      <ProjectTitle />
      <button className="primary-button" data-testid="open-button" title={t('top.openTitle')} onClick={onOpen}>
        {t('top.open')}
      </button>
      <button className="text-button" data-testid="export-button" title={t('top.exportTitle')} onClick={openExportDialog}>
        {t('top.export')}
      </button>
      <ActivityStatus />
      <div className="top-bar-end">
        <span className={`mode-badge mode-${mode}`} data-testid="mode">
          {t(mode === 'browser' ? 'mode.browser' : 'mode.electron')}
        </span>
        <select className="language-select" aria-label={t('top.language')} value={language} onChange={(e) => languageStore.set(e.target.value === 'ja' ? 'ja' : 'en')}>
          <option value="en">English</option>
          <option value="ja">日本語</option>
        </select>
        <button className="icon-button help-button" title={t('top.help')} aria-label={t('top.help')} onClick={() => uiStore.set((u) => setHelpOpen(u, true))}>
          ?
        </button>
      </div>
    </header>
  );
}
