import { useApi } from '../ApiContext';
import { showInFolder } from '../export/exportActions';
import { useT } from '../i18n/useT';
import { useErrors, useNotices } from '../state/hooks';
import { uiStore } from '../state/stores';
import { dismissMessage, type UiMessage } from '../state/uiState';

function Banner({ message, kind }: { message: UiMessage; kind: 'error' | 'notice' }) {
  const t = useT();
  const api = useApi();
  return (
    <div className={`banner banner-${kind}`} data-testid={kind} role={kind === 'error' ? 'alert' : 'status'}>
      <span className="banner-icon" aria-hidden>
        {kind === 'error' ? '!' : 'i'}
      </span>
      <div className="banner-text">
        <strong>{message.title}</strong>
        <span className="banner-message">{message.message}</span>
      </div>
      {message.code && <code className="banner-code">{message.code}</code>}
      {message.reveal && (
        <button className="text-button" data-testid="show-in-folder" onClick={() => void showInFolder(api, message.reveal ?? '')}>
          {t('export.showInFolder')}
        </button>
      )}
      <button className="icon-button" data-testid={`${kind}-dismiss`} title={t('error.dismiss')} aria-label={t('error.dismiss')} onClick={() => uiStore.set((u) => dismissMessage(u, message.id))}>
        ×
      </button>
    </div>
  );
}

/**
 * Errors (stay until dismissed) float over the top of the viewer; notices (a render finished, a
 * file was converted) stack in its lower right corner, out of the way of the picture.
 */
export function MessageBanners() {
  const errors = useErrors();
  const notices = useNotices();
  return (
    <>
      {errors.length > 0 && (
        <div className="banners">
          {errors.map((m) => (
            <Banner key={m.id} message={m} kind="error" />
          ))}
        </div>
      )}
      {notices.length > 0 && (
        <div className="banners toasts">
          {notices.map((m) => (
            <Banner key={m.id} message={m} kind="notice" />
          ))}
        </div>
      )}
    </>
  );
}
