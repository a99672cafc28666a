import type { ViewerMode } from '../../shared/projectFile';
import { useT } from '../i18n/useT';
import { useViewerMode } from '../state/hooks';
import { dispatch } from '../state/stores';

const MODES: ViewerMode[] = ['output', 'motion', 'reference', 'sideBySide', 'overlay'];

/** Output / DensePose / Reference / Side by side / Overlay, plus the overlay's opacity. */
export function ViewerModeBar({ opacity, onOpacity }: { opacity: number; onOpacity: (value: number) => void }) {
  const t = useT();
  const mode = useViewerMode();
  const shown = mode === 'grid' ? 'sideBySide' : mode;
  return (
    <div className="viewer-modes" role="tablist" aria-label={t('viewer.modes')}>
      {MODES.map((m) => (
        <button key={m} role="tab" aria-selected={shown === m} className={`chip${shown === m ? ' active' : ''}`} data-testid={`viewer-mode-${m}`} onClick={() => dispatch({ type: 'viewer.mode', mode: m })}>
          {t(`viewerMode.${m}`)}
        </button>
      ))}
      {shown === 'overlay' && (
        <label className="overlay-opacity">
          {t('viewer.opacity')}
          <input type="range" min={0} max={1} step={0.05} value={opacity} data-testid="overlay-opacity" onChange={(e) => onOpacity(Number(e.target.value))} />
        </label>
      )}
    </div>
  );
}
