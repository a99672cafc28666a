import { ProviderSchema, type Provider } from '../../shared/renderParams';
import { useT } from '../i18n/useT';
import { useCurrentFrame, useFps, useMedia, useRenderParams, useRunningProvider, useTimelineLength } from '../state/hooks';
import { formatTimecode } from '../timeline/timelineMath';

/** CPU or GPU for an execution provider name (what the person actually cares about). */
export function deviceOf(provider: string): 'cpu' | 'gpu' | null {
  if (provider === 'cpu') return 'cpu';
  if (provider === 'cuda' || provider === 'dml' || provider === 'webgpu') return 'gpu';
  return null;
}

/** fps, frame, timecode, and the execution provider: chosen, and what a running render got. */
export function StatusBar() {
  const t = useT();
  const frame = useCurrentFrame();
  const frameCount = useTimelineLength();
  const fps = useFps();
  const motion = useMedia('motion');
  const chosen = useRenderParams().provider;
  const running = useRunningProvider();
  const provider = running ?? chosen;
  const device = deviceOf(provider);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span data-testid="status-fps">{motion ? t('status.fps', { fps: Number(fps.toFixed(3)) }) : t('status.noClip')}</span>
      <span data-testid="status-frame">{t('status.frame', { frame, last: Math.max(0, frameCount - 1) })}</span>
      <span className="mono" data-testid="status-timecode">
        {formatTimecode(frame, fps)}
      </span>
      <span className="status-spacer" />
      <span data-testid="status-provider">
        {t('status.provider', { provider: ProviderSchema.options.includes(provider as Provider) ? t(`provider.${provider as Provider}`) : provider })}
        {device && <span className={`device-badge device-${device}`}>{t(device === 'gpu' ? 'status.gpu' : 'status.cpu')}</span>}
      </span>
    </footer>
  );
}
