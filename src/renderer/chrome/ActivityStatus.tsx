import { useConnectionState } from '../connection/useConnection';
import { ProgressBar, formatEta } from '../render/fields';
import { useT } from '../i18n/useT';
import { useActiveTakeId, useExports, useImports, useJob, usePlaying, useUi } from '../state/hooks';

/** What the app is doing, most important first: import, demo, export, render; else Ready/Playing. */
function useActivity(): { label: string; fraction: number | null; testId: string } | null {
  const t = useT();
  const imports = useImports();
  const demo = useUi((u) => u.demo);
  const exports = useExports();
  const job = useJob(useActiveTakeId());
  const current = imports[0];
  if (current) {
    const fraction = current.total > 0 ? Math.min(1, current.decoded / current.total) : null;
    const label =
      current.total > 0
        ? t('status.importingCount', { name: current.fileName, done: current.decoded, total: current.total })
        : t('status.importing', { name: current.fileName });
    return { label: imports.length > 1 ? `${label} (+${imports.length - 1})` : label, fraction, testId: 'import-progress' };
  }
  if (demo) return { label: t('status.demo', { phase: t(`demoPhase.${demo.phase}`) }), fraction: demo.fraction, testId: 'demo-progress' };
  const task = exports[0];
  if (task) return { label: t('status.exporting', { frame: task.frame, total: task.total, eta: formatEta(task.etaSec) }), fraction: task.total > 0 ? task.frame / task.total : null, testId: 'export-activity' };
  if (job && (job.status === 'running' || job.status === 'queued')) {
    const p = job.progress;
    const label = p ? t('status.rendering', { step: p.step, steps: p.steps, eta: formatEta(p.etaSec) }) : t('status.renderStarting');
    return { label, fraction: p?.fraction ?? null, testId: 'render-activity' };
  }
  return null;
}

export function ActivityStatus() {
  const t = useT();
  const playing = usePlaying();
  const activity = useActivity();
  if (useConnectionState() === 'lost') {
    return (
      <div className="activity disconnected" role="status" data-testid="activity">
        <span className="status-dot" aria-hidden />
        <span className="activity-text">{t('status.disconnected')}</span>
      </div>
    );
  }
  if (activity) {
    return (
      <div className="activity busy" data-testid={activity.testId} role="status">
        <span className="spinner" aria-hidden />
        <span className="activity-text">{activity.label}</span>
        <ProgressBar fraction={activity.fraction} />
      </div>
    );
  }
  return (
    <div className="activity" role="status" data-testid="activity">
      <span className={`status-dot${playing ? ' playing' : ''}`} aria-hidden />
      <span className="activity-text">{t(playing ? 'status.playing' : 'status.ready')}</span>
    </div>
  );
}
