import type { ImportedMedia } from '../../shared/contract';
import { useT } from '../i18n/useT';
import { useAudioSource, useMedia, useMediaName } from '../state/hooks';
import { dispatch } from '../state/stores';
import { describeMedia } from './describeMedia';
import type { TrackDef } from './tracks';
import { useTrackDrop } from './useTrackDrop';

/** The media a header describes: the track's own media, or for Audio whatever supplies the sound. */
function useTrackMedia(track: TrackDef): ImportedMedia | null {
  const own = useMedia(track.role ?? 'reference');
  const audio = useAudioSource();
  if (track.role === null) return null;
  return track.role === 'audio' ? audio : own;
}

/** Track name, what is on it, and a remove button; also a drop target for the track. */
export function TrackHeader({ track }: { track: TrackDef }) {
  const t = useT();
  const media = useTrackMedia(track);
  const name = useMediaName(media);
  const drop = useTrackDrop(track.role ?? 'motion');
  const droppable = track.role !== null;
  // Removing the motion clip's borrowed sound would remove the clip: only a dropped audio file goes.
  const removable = media !== null && media.role === track.role;
  return (
    <div
      className={`track-header track-${track.id}${drop.active && droppable ? ' drop-active' : ''}`}
      onDragOver={droppable ? drop.onDragOver : undefined}
      onDrop={droppable ? drop.onDrop : undefined}
    >
      <span className={`track-swatch swatch-${track.id}`} />
      <div className="track-title">
        <span className="track-name">{t(track.label)}</span>
        {media && (
          <span className="track-detail" title={`${media.info.path}\n${describeMedia(media, track.role === 'audio')}`}>
            {name}
          </span>
        )}
      </div>
      {removable && (
        <button className="icon-button track-remove" title={t('track.remove')} aria-label={t('track.remove')} onClick={() => dispatch({ type: 'media.remove', role: media.role })}>
          ×
        </button>
      )}
    </div>
  );
}
