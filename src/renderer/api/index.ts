// The one StudioApi the renderer uses: the Electron preload's `window.studio` when present,
// otherwise the browser-mode WebSocket client.
import type { StudioApi } from '../../shared/contract';
import { createWsClient } from './wsClient';

declare global {
  interface Window {
    studio?: StudioApi;
  }
}

const TOKEN_KEY = 'studio.token';

/**
 * The browser-mode token: from the page URL (then kept in sessionStorage so a reload without
 * the query still works), else the meta tag the server injects, else what sessionStorage holds.
 */
export function pageToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  const fromMeta = document.querySelector<HTMLMetaElement>('meta[name="studio-token"]')?.content;
  let stored: string | null = null;
  try {
    stored = window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // NOTE: storage can be disabled; the URL and the meta tag still work.
  }
  const token = fromUrl || fromMeta || stored || '';
  if (token && token !== stored) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // see above
    }
  }
  return token;
}

let api: StudioApi | null = null;

export function getApi(): StudioApi {
  if (!api) api = window.studio ?? createWsClient({ baseUrl: window.location.origin, token: pageToken() });
  return api;
}
