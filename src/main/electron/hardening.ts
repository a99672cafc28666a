// Process-wide Electron hardening (Electron security checklist): no navigation away from the
// app, no new windows, no webviews, every permission request denied, CSP on dev-server pages.
import { app, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './protocol';

export function hardenSessions(devServerUrl: string | undefined): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // studio://app pages carry the CSP in their own response; this covers the dev server, whose
  // HMR client needs inline scripts and a WebSocket.
  const devPolicy = `${CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws:")}`;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (devServerUrl && details.url.startsWith(devServerUrl)) headers['Content-Security-Policy'] = [devPolicy];
    callback({ responseHeaders: headers });
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
