// Every render of the project, newest last, with its live progress; the selected take is what the
// output track and the viewer show.
import type { ProjectTake } from '../../shared/projectFile';
import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import { finalCount, type JobView } from '../state/jobs';
import { useActiveTakeId, useJob, useRendering, useTakes } from '../state/hooks';
import { dispatch } from '../state/stores';
import { ProgressBar, formatEta } from './fields';
import { OutdatedBadge } from './OutdatedBadge';
import { cancelRender, resumeRender } from './renderActions';
import { removeTake } from './takeActions';

function ProgressLine({ job }: { job: JobView }) {
  const t = useT();
  const p = job.progress;
  if (!p) return <ProgressBar fraction={null} testId="render-progress-bar" />;
  return (
    <div className="take-progress" data-testid="render-progress" data-phase={p.phase} data-fraction={p.fraction.toFixed(3)}>
      <ProgressBar fraction={p.fraction} testId="render-progress-bar" />
      <span className="take-progress-text">
        {t(`phase.${p.phase}`)} · {t('render.stepOf', { step: p.step, steps: p.steps })} · {t('render.windowOf', { window: p.window, windows: p.windows })} ·{' '}
        {t('render.eta', { eta: formatEta(p.etaSec) })}
      </span>
    </div>
  );
}

function Take({ take, active }: { take: ProjectTake; active: boolean }) {
  const api = useApi();
  const t = useT();
  const job = useJob(take.jobId);
  const rendering = useRendering();
  const status = job?.status ?? take.status;
  const running = status === 'running' || status === 'queued';
  const stopped = status === 'aborted' || status === 'error';
  return (
    <li className={`take${active ? ' active' : ''}`} data-testid="take" data-job={take.jobId} data-status={status}>
      <button className="take-select" onClick={() => dispatch({ type: 'take.select', jobId: take.jobId })} aria-pressed={active}>
        <span className="take-name">{take.name}</span>
        <span className={`take-status status-${status}`}>{t(`takeStatus.${status}`)}</span>
        <OutdatedBadge take={take} />
        <span className="take-detail">
          {take.params.width}×{take.params.height} · {t('render.stepsShort', { steps: take.params.steps })}{job && job.frameCount > 0 ? ' · ' : ''}{job && job.frameCount > 0 ? t('render.finalFrames', { done: finalCount(job), total: job.frameCount }) : ''}
        </span>
      </button>
      {running && job && <ProgressLine job={job} />}
      {job?.error && <p className="take-error">{job.error}</p>}
      <div className="take-actions">
        {running && (
          <button className="secondary-button" data-testid="render-cancel" onClick={() => void cancelRender(api, take.jobId)}>
            {t('render.cancel')}
          </button>
        )}
        {stopped && (
          <button className="secondary-button" data-testid="render-resume" disabled={rendering} onClick={() => void resumeRender(api, take.jobId)}>
            {t('render.resume')}
          </button>
        )}
        {!running && (
          <button className="link-button" data-testid="take-remove" onClick={() => removeTake(take)}>
            {t('render.removeTake')}
          </button>
        )}
      </div>
    </li>
  );
}

export function TakeList() {
  const t = useT();
  const takes = useTakes();
  const activeId = useActiveTakeId();
  if (takes.length === 0) return <p className="panel-empty">{t('render.noTakes')}</p>;
  return (
    <ol className="take-list" data-testid="take-list">
      {takes.map((take) => (
        <Take key={take.jobId} take={take} active={take.jobId === activeId} />
      ))}
    </ol>
  );
}
