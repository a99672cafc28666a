import { useEffect } from 'react';
import { runCommand, type CommandContext } from './commands';
import { shortcutForKey } from './shortcuts';

/** Text fields and sliders keep their own keys (typing "i" in a field must not set an in point). */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** Binds the shortcut table to window keydown for the component's lifetime. */
export function useShortcuts(context: CommandContext): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented) return;
      const shortcut = shortcutForKey(event);
      if (!shortcut || (isEditable(event.target) && !shortcut.inFields)) return;
      const command = shortcut.command;
      // Also stops Space from "clicking" a focused button and Ctrl+O from the browser's own dialog.
      event.preventDefault();
      runCommand(command, context);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [context]);
}
