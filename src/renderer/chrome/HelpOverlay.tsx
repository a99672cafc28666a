import { useT } from '../i18n/useT';
import { helpRows } from '../keyboard/shortcuts';
import { useHelpOpen } from '../state/hooks';
import { uiStore } from '../state/stores';
import { setHelpOpen } from '../state/uiState';

/** '?' opens the keyboard shortcuts, listed from the same table the key handler uses. */
export function HelpOverlay() {
  const t = useT();
  const open = useHelpOpen();
  if (!open) return null;
  const close = (): void => uiStore.set((u) => setHelpOpen(u, false));
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal help" data-testid="help" role="dialog" aria-modal aria-label={t('help.title')} onClick={(e) => e.stopPropagation()}>
        <header className="modal-header">
          <h2>{t('help.title')}</h2>
          <button className="icon-button" aria-label={t('help.close')} title={t('help.close')} onClick={close}>
            ×
          </button>
        </header>
        <table className="shortcut-table">
          <tbody>
            {helpRows().map((row) => (
              <tr key={row.help}>
                <td className="shortcut-keys">
                  {row.labels.map((label) => (
                    <kbd key={label}>{label}</kbd>
                  ))}
                </td>
                <td>{t(row.help)}</td>
              </tr>
            ))}
            <tr>
              <td className="shortcut-keys">
                <kbd>Ctrl</kbd>+<kbd>Wheel</kbd>
              </td>
              <td>{t('help.zoomWheel')}</td>
            </tr>
            <tr>
              <td className="shortcut-keys" />
              <td>{t('help.scrub')}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
