import { useT } from '../i18n/useT';
import { useZoom } from '../state/hooks';
import { zoomStore } from '../state/stores';
import { SLIDER_MAX, SLIDER_MIN, sliderToZoom, stepZoom, zoomToSlider } from './timelineMath';

/** − slider + and Fit; the slider is logarithmic so every notch zooms by the same factor. */
export function ZoomControl({ onFit }: { onFit: () => void }) {
  const t = useT();
  const zoom = useZoom();
  return (
    <div className="zoom-control">
      <button className="icon-button" title={t('timeline.zoomOut')} aria-label={t('timeline.zoomOut')} onClick={() => zoomStore.set(stepZoom(zoom, -1))}>
        −
      </button>
      <input
        type="range"
        aria-label={t('timeline.zoom')}
        data-testid="zoom-slider"
        min={SLIDER_MIN}
        max={SLIDER_MAX}
        step={0.01}
        value={zoomToSlider(zoom)}
        onChange={(e) => zoomStore.set(sliderToZoom(Number(e.target.value)))}
      />
      <button className="icon-button" title={t('timeline.zoomIn')} aria-label={t('timeline.zoomIn')} onClick={() => zoomStore.set(stepZoom(zoom, 1))}>
        +
      </button>
      <button className="text-button" onClick={onFit}>
        {t('timeline.zoomFit')}
      </button>
    </div>
  );
}
