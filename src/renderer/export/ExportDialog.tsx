// Ctrl+E: export the selected take as MP4 (H.264), WebM (VP9), GIF or a PNG sequence, with its
// fps, size, range, layout, audio and destination; progress with ETA and Cancel while it runs.
import { useEffect, useState } from 'react';
import type { ExportFormat } from '../../shared/contract';
import type { ProjectExportSettings } from '../../shared/projectFile';
import { useApi } from '../ApiContext';
import { requestNotificationPermission } from '../chrome/notify';
import { useT } from '../i18n/useT';
import { Field, ProgressBar, SelectField, formatEta } from '../render/fields';
import { useActiveTakeId, useAppDataDir, useAppMode, useExports, useExportSettings, useFps, useJob, useMedia, useMediaName, useRange, useSession, useTakes, useUi } from '../state/hooks';
import { dispatch, uiStore } from '../state/stores';
import { setExportOpen } from '../state/uiState';
import { cancelExport, startExport } from './exportActions';
import { defaultExportPath, exportRequest, formatHasAudio, requestPath, withFormatExtension } from './exportPlan';

const FORMATS: ExportFormat[] = ['mp4', 'webm', 'gif', 'png'];
const set = (patch: Partial<ProjectExportSettings>): void => dispatch({ type: 'export.set', patch });
const close = (): void => uiStore.set((u) => setExportOpen(u, false));

function ExportProgress() {
  const api = useApi();
  const t = useT();
  const running = useExports();
  if (running.length === 0) return null;
  return (
    <div className="export-progress" data-testid="export-progress">
      {running.map((task) => (
        <div key={task.exportId} className="export-task">
          <ProgressBar fraction={task.total > 0 ? task.frame / task.total : null} />
          <span>{t('export.progress', { frame: task.frame, total: task.total, eta: formatEta(task.etaSec) })}</span>
          <button className="secondary-button" data-testid="export-cancel" onClick={() => void cancelExport(api, task.exportId)}>
            {t('render.cancel')}
          </button>
        </div>
      ))}
    </div>
  );
}

function useDestination(format: ExportFormat, takeName: string): [string, (path: string) => void] {
  const dataDir = useAppDataDir();
  const session = useSession();
  const saved = useExportSettings().outPath;
  const [path, setPath] = useState(saved ?? '');
  useEffect(() => {
    setPath((p) => (p ? withFormatExtension(p, format) : dataDir ? defaultExportPath(dataDir, session.meta?.name ?? 'project', takeName, format) : ''));
  }, [format, dataDir, session.meta?.name, takeName]);
  return [path, setPath];
}

function ExportForm() {
  const api = useApi();
  const t = useT();
  const settings = useExportSettings();
  const takes = useTakes();
  const activeId = useActiveTakeId();
  const take = takes.find((tk) => tk.jobId === activeId) ?? null;
  const job = useJob(take?.jobId ?? null);
  const motion = useMedia('motion');
  const audioTrack = useMedia('audio');
  const marks = useRange();
  const sourceFps = useFps();
  const [useMarks, setUseMarks] = useState(marks.in !== null || marks.out !== null);
  const [outPath, setOutPath] = useDestination(settings.format, take?.name ?? 'take');
  const audioFile = audioTrack?.info.path ?? null;
  const audioName = useMediaName(audioTrack);
  const dataDir = useAppDataDir();
  // Browser mode has no native save dialog: the path field is the way to choose.
  const mode = useAppMode();
  const plan = take ? exportRequest({ take, frameCount: job?.frameCount ?? 0, settings, marks, useMarks, sourceFps, outPath, audioFile }) : { problem: 'noFrames' as const };

  const choose = async (): Promise<void> => {
    const result = await api.request('dialog.save', { kind: 'export', defaultName: outPath.split(/[\\/]/).pop() ?? 'export' });
    if (result.ok && result.value.path) setOutPath(result.value.path);
  };
  const go = async (): Promise<void> => {
    if (!('request' in plan)) return;
    requestNotificationPermission();
    set({ outPath: plan.request.outPath });
    await startExport(api, { ...plan.request, outPath: requestPath(plan.request.outPath, dataDir) });
  };
  return (
    <div className="export-form">
      <p className="export-take">{take ? t('export.take', { name: take.name, frames: job?.frameCount ?? 0 }) : t('export.noTake')}</p>
      <div className="preset-row" role="radiogroup" aria-label={t('export.format')}>
        {FORMATS.map((f) => (
          <button key={f} role="radio" aria-checked={settings.format === f} className={`chip${settings.format === f ? ' active' : ''}`} data-testid={`export-format-${f}`} onClick={() => set({ format: f })}>
            {t(`format.${f}`)}
          </button>
        ))}
      </div>
      <div className="field-grid">
        <Field label={t('export.fps')}>
          <input className="field-input" type="number" min={1} max={240} data-testid="export-fps" value={settings.fps ?? sourceFps} onChange={(e) => set({ fps: Number(e.target.value) > 0 ? Number(e.target.value) : null })} />
        </Field>
        <Field label={t('export.size')} hint={t('export.sizeHint')}>
          <input className="field-input" data-testid="export-size" placeholder={take ? `${take.params.width}x${take.params.height}` : ''} value={settings.size ?? ''} onChange={(e) => set({ size: /^\d{2,4}x\d{2,4}$/.test(e.target.value) ? e.target.value : null })} />
        </Field>
        <SelectField label={t('export.layout')} testId="export-layout" value={settings.layout} options={[{ value: 'result', label: t('export.layoutResult') }, { value: 'grid', label: t('export.layoutGrid') }]} onChange={(layout) => set({ layout })} />
        <SelectField
          label={t('export.range')}
          testId="export-range"
          value={useMarks ? 'marks' : 'all'}
          options={[{ value: 'all', label: t('export.rangeAll') }, { value: 'marks', label: t('export.rangeMarks') }]}
          onChange={(v) => setUseMarks(v === 'marks')}
        />
        <SelectField
          label={t('export.audio')}
          testId="export-audio"
          value={formatHasAudio(settings.format) ? settings.audio : 'none'}
          options={[
            { value: 'none', label: t('export.audioNone') },
            ...(motion?.info.hasAudio ? [{ value: 'motion' as const, label: t('export.audioMotion') }] : []),
            ...(audioFile ? [{ value: 'file' as const, label: t('export.audioFile', { name: audioName }) }] : []),
          ]}
          onChange={(audio) => set({ audio })}
        />
      </div>
      <Field label={t('export.destination')}>
        <div className="path-row">
          <input className="field-input" data-testid="export-path" value={outPath} onChange={(e) => setOutPath(e.target.value)} spellCheck={false} />
          {mode === 'electron' && (
            <button className="secondary-button" onClick={() => void choose()}>
              {t('export.choose')}
            </button>
          )}
        </div>
      </Field>
      {'problem' in plan && <p className="blockers">{t(`exportProblem.${plan.problem}`)}</p>}
      <ExportProgress />
      <footer className="modal-footer">
        <button className="secondary-button" onClick={close}>
          {t('help.close')}
        </button>
        <button className="primary-button" data-testid="export-start" disabled={!('request' in plan)} onClick={() => void go()}>
          {t('export.start')}
        </button>
      </footer>
    </div>
  );
}

export function ExportDialog() {
  const t = useT();
  const open = useUi((u) => u.exportOpen);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onClick={close}>
      <div className="modal export-dialog" data-testid="export-dialog" role="dialog" aria-modal aria-label={t('export.title')} onClick={(e) => e.stopPropagation()}>
        <header className="modal-header">
          <h2>{t('export.title')}</h2>
          <button className="icon-button" aria-label={t('help.close')} onClick={close}>
            ×
          </button>
        </header>
        <ExportForm />
      </div>
    </div>
  );
}
