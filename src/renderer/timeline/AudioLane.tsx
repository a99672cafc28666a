import { useT } from '../i18n/useT';
import { useAudioSource, useMedia, useMediaName } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { TrackLane } from './TrackLane';
import type { TrackDef } from './tracks';
import { usePeaks } from './usePeaks';
import { Waveform } from './Waveform';

/** The sound: a dropped audio file, else the motion clip's own audio track. */
export function AudioLane({ track }: { track: TrackDef }) {
  const t = useT();
  const source = useAudioSource();
  const motion = useMedia('motion');
  const name = useMediaName(source);
  const peaks = usePeaks(source, name);
  const { fps, toPx } = useTimeline();
  if (!source) {
    const silentClip = motion !== null && !motion.info.hasAudio;
    return (
      <TrackLane track={track} empty={!silentClip}>
        <div className="lane-hint">{t('track.noAudio')}</div>
      </TrackLane>
    );
  }
  return (
    <TrackLane track={track} empty={false}>
      <div className="clip clip-audio" style={{ width: toPx(source.info.durationSec * fps) }}>
        {peaks?.status === 'ready' && <Waveform peaks={peaks.peaks} durationSec={peaks.durationSec} width={toPx(peaks.durationSec * fps)} />}
        <span className="clip-label">
          {name}
          {peaks?.status === 'loading' && ` · ${t('track.loadingPeaks')}`}
        </span>
      </div>
    </TrackLane>
  );
}
