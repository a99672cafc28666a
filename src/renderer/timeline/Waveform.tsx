import { useEffect, useRef } from 'react';
import WaveSurfer from 'wavesurfer.js';

interface WaveformProps {
  peaks: number[];
  durationSec: number;
  /** Width in timeline pixels, so one second of sound lines up with one second of frames. */
  width: number;
}

/**
 * Draws precomputed peaks with wavesurfer.js (no audio is decoded or played here). It redraws
 * itself when its container changes width (zoom), through its own resize observer.
 */
export function Waveform({ peaks, durationSec, width }: WaveformProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const styles = getComputedStyle(container.current);
    const surfer = WaveSurfer.create({
      container: container.current,
      peaks: [peaks],
      duration: durationSec,
      interact: false,
      height: 'auto',
      normalize: true,
      fillParent: true,
      minPxPerSec: 0,
      hideScrollbar: true,
      cursorWidth: 0,
      waveColor: styles.getPropertyValue('--wave').trim() || '#4fb38a',
      progressColor: styles.getPropertyValue('--wave').trim() || '#4fb38a',
    });
    return () => surfer.destroy();
  }, [peaks, durationSec]);
  return <div ref={container} className="waveform" data-testid="waveform" data-peaks={peaks.length} style={{ width }} />;
}
