// NOTE: in Electron a renderer's `beforeunload` that asks to stay (the editor does so while there
// are unsaved edits) silently cancels the close: no dialog is shown, and the window cannot be
// closed. The shell asks natively instead, and lets the window go when the person chooses to leave.
import { dialog, type BrowserWindow } from 'electron';
import type { Settings } from '../../shared/contract';

const TEXT: Record<Settings['language'], { message: string; detail: string; leave: string; stay: string }> = {
  en: {
    message: 'This project has unsaved changes.',
    detail: 'Close anyway? Edits older than a few seconds are kept as an autosave and offered back the next time the studio starts.',
    leave: 'Close without saving',
    stay: 'Keep editing',
  },
  ja: {
    message: 'このプロジェクトには保存されていない変更があります。',
    detail: 'このまま閉じますか? 数秒以上前の編集は自動保存され、次回の起動時に復元を提案します。',
    leave: '保存せずに閉じる',
    stay: '編集を続ける',
  },
};

export function guardUnsavedClose(window: BrowserWindow, language: () => Settings['language']): void {
  window.webContents.on('will-prevent-unload', (event) => {
    const text = TEXT[language()];
    const choice = dialog.showMessageBoxSync(window, { type: 'question', buttons: [text.leave, text.stay], defaultId: 1, cancelId: 1, message: text.message, detail: text.detail });
    if (choice === 0) event.preventDefault(); // preventDefault here means "ignore beforeunload"
  });
}
