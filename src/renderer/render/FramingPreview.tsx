import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import { useMedia, useRenderParams } from '../state/hooks';
import { framingRect } from './framing';

/** Preview box edge in CSS pixels (the longer side of the render frame). */
const BOX = 96;

/** How the reference photo is framed at the chosen size and fit. */
export function FramingPreview() {
  const api = useApi();
  const t = useT();
  const reference = useMedia('reference');
  const { width, height, fit } = useRenderParams();
  if (!reference || width <= 0 || height <= 0) return null;
  const scale = BOX / Math.max(width, height);
  const rect = framingRect(reference.info.width, reference.info.height, width, height, fit);
  return (
    <figure className="framing-preview" data-testid="framing-preview" title={t('render.framingTitle')}>
      <div className="framing-frame" style={{ width: width * scale, height: height * scale }}>
        <img
          src={api.transport.frameUrl({ media: reference.id }, 0)}
          alt=""
          draggable={false}
          style={{ left: rect.x * scale, top: rect.y * scale, width: rect.width * scale, height: rect.height * scale }}
        />
      </div>
      <figcaption>
        {reference.info.width}×{reference.info.height} → {width}×{height}
      </figcaption>
    </figure>
  );
}
