// The Project menu: new, open, recent, demo, save, save as, undo/redo, export, models.
import { useEffect, useRef, useState } from 'react';
import type { RecentProject } from '../../shared/projectFile';
import { useApi } from '../ApiContext';
import { openExportDialog } from '../export/exportActions';
import { useT } from '../i18n/useT';
import { openModelManager } from '../models/modelActions';
import { newProject, openDemo, openProject, openProjectAt, saveProject } from '../project/projectActions';
import { useCanRedo, useCanUndo, useDirty, useSession } from '../state/hooks';
import { redoEdit, undoEdit } from '../state/stores';

function useRecent(open: boolean): RecentProject[] {
  const api = useApi();
  const [recent, setRecent] = useState<RecentProject[]>([]);
  useEffect(() => {
    if (!open) return;
    void api.request('project.recent', {}).then((r) => setRecent(r.ok ? r.value : []));
  }, [api, open]);
  return recent;
}

export function ProjectMenu() {
  const api = useApi();
  const t = useT();
  const [open, setOpen] = useState(false);
  const recent = useRecent(open);
  const canUndo = useCanUndo();
  const canRedo = useCanRedo();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent): void => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', onDown);
    return () => window.removeEventListener('pointerdown', onDown);
  }, [open]);
  const item = (label: string, keys: string, run: () => unknown, testId: string, disabled = false) => (
    <button className="menu-item" role="menuitem" data-testid={testId} disabled={disabled} onClick={() => (setOpen(false), void run())}>
      <span>{label}</span>
      <kbd>{keys}</kbd>
    </button>
  );
  return (
    <div className="menu" ref={root}>
      <button className="text-button" data-testid="project-menu" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('menu.project')} ▾
      </button>
      {open && (
        <div className="menu-popup" role="menu">
          {item(t('menu.new'), '', () => newProject(api), 'menu-new')}
          {item(t('menu.open'), 'Ctrl+Shift+O', () => openProject(api), 'menu-open')}
          {item(t('menu.demo'), '', () => openDemo(api), 'menu-demo')}
          {item(t('menu.save'), 'Ctrl+S', () => saveProject(api), 'menu-save')}
          {item(t('menu.saveAs'), 'Ctrl+Shift+S', () => saveProject(api, true), 'menu-save-as')}
          <hr />
          {item(t('menu.undo'), 'Ctrl+Z', undoEdit, 'menu-undo', !canUndo)}
          {item(t('menu.redo'), 'Ctrl+Shift+Z', redoEdit, 'menu-redo', !canRedo)}
          {item(t('menu.export'), 'Ctrl+E', openExportDialog, 'menu-export')}
          {item(t('menu.models'), '', openModelManager, 'menu-models')}
          <hr />
          <div className="menu-caption">{t('menu.recent')}</div>
          {recent.length === 0 && <div className="menu-caption dim">{t('menu.noRecent')}</div>}
          {recent.map((r) => (
            <button key={r.path} className="menu-item" role="menuitem" disabled={!r.exists} title={r.path} onClick={() => (setOpen(false), void openProjectAt(api, r.path))}>
              <span>{r.name}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** The project's name, with a dot while it has unsaved edits. */
export function ProjectTitle() {
  const t = useT();
  const session = useSession();
  const dirty = useDirty();
  return (
    <span className="project-title" data-testid="project-title" data-dirty={dirty} title={session.path ?? t('project.notSaved')}>
      {session.meta?.name ?? t('project.untitled')}
      {dirty && <span className="dirty-dot" aria-label={t('project.unsaved')} />}
    </span>
  );
}
