// Questions the editor asks in its own modal (chrome/AskDialog.tsx) and awaits: "save changes?"
// before a project is replaced, a path where browser mode has no native file dialog, "really
// remove?" before something that cannot be undone, and "restore unsaved work?" at start. One
// question at a time; asking again answers the previous one with "cancel".
import { uiStore } from '../state/stores';
import type { Question } from '../state/uiState';

export type UnsavedAnswer = 'save' | 'discard' | 'cancel';
type Answer = UnsavedAnswer | 'confirm' | { path: string };

let pending: ((answer: Answer) => void) | null = null;

function ask(question: Question): Promise<Answer> {
  pending?.('cancel');
  return new Promise((resolve) => {
    pending = resolve;
    uiStore.set((u) => ({ ...u, ask: question }));
  });
}

/** Called by the dialog's buttons. */
export function answer(value: Answer): void {
  const resolve = pending;
  pending = null;
  uiStore.set((u) => ({ ...u, ask: null }));
  resolve?.(value);
}

export type RecoverAnswer = 'restore' | 'discard' | 'later';

/** `body` names the project and when its edits were made. */
export async function askRecover(body: string): Promise<RecoverAnswer> {
  const reply = await ask({ kind: 'recover', body });
  return reply === 'confirm' ? 'restore' : reply === 'discard' ? 'discard' : 'later';
}

export async function askUnsaved(): Promise<UnsavedAnswer> {
  const reply = await ask({ kind: 'unsaved' });
  return reply === 'save' || reply === 'discard' ? reply : 'cancel';
}

/** A path typed by the person (prefilled with `value`), or null when cancelled. */
export async function askPath(title: string, value: string, hint: string): Promise<string | null> {
  const reply = await ask({ kind: 'path', title, value, hint });
  return typeof reply === 'object' && reply.path.trim() ? reply.path.trim() : null;
}

/** True when the person confirmed (the button reads `confirm`); false on cancel. */
export async function askConfirm(title: string, body: string, confirm: string): Promise<boolean> {
  return (await ask({ kind: 'confirm', title, body, confirm })) === 'confirm';
}
