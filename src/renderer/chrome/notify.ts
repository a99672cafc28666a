// "It finished" for long tasks: an in-app toast always, plus a system notification when the
// person has allowed them (the browser's Notification API; Electron maps it to the OS's).
import { uiStore } from '../state/stores';
import { addNotice, dismissMessage } from '../state/uiState';

/** Finished-task toasts leave by themselves after this long (errors stay until dismissed). */
export const TOAST_MS = 15_000;

function systemNotification(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body });
  } catch {
    // NOTE: some embedders expose Notification but refuse to construct it (Chrome on Android,
    // sandboxed frames); the toast is enough.
  }
}

/** Ask once, on a user gesture (the Render / Export buttons), so a later finish can notify. */
export function requestNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

export function notifyFinished(title: string, body: string, reveal?: string): void {
  const id = uiStore.get().nextId;
  uiStore.set((u) => addNotice(u, title, body, reveal));
  setTimeout(() => uiStore.set((u) => dismissMessage(u, id)), TOAST_MS);
  systemNotification(title, body);
}
