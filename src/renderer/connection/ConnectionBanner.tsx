import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import { useConnectionState } from './useConnection';

/** Across the top of the window while the browser-mode server cannot be reached. */
export function ConnectionBanner() {
  const t = useT();
  const api = useApi();
  const state = useConnectionState();
  if (state !== 'lost') return null;
  return (
    <div className="connection-lost" data-testid="connection-lost" role="alert">
      <span className="banner-icon" aria-hidden>
        !
      </span>
      <div className="banner-text">
        <strong>{t('connection.lostTitle')}</strong>
        <span className="banner-message">{t('connection.lostMessage')}</span>
      </div>
      <button className="text-button" data-testid="connection-retry" onClick={() => api.transport.connection?.retryNow()}>
        {t('connection.retry')}
      </button>
    </div>
  );
}
