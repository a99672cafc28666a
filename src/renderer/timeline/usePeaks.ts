import { useEffect, useState } from 'react';
import type { ImportedMedia } from '../../shared/contract';
import { useApi } from '../ApiContext';
import { t } from '../i18n/t';
import { uiStore } from '../state/stores';
import { addError } from '../state/uiState';

export type PeaksState =
  | { status: 'loading' }
  | { status: 'ready'; peaks: number[]; durationSec: number }
  | { status: 'failed' };

/** Peaks per second of audio asked of the main side (bounded by the contract's 100 000). */
const PEAKS_PER_SECOND = 400;

export function peakBuckets(durationSec: number): number {
  return Math.min(100_000, Math.max(16, Math.round(durationSec * PEAKS_PER_SECOND)));
}

/** Waveform peaks for a media item, fetched once per media id; a failure shows an error banner. */
export function usePeaks(media: ImportedMedia | null, name: string): PeaksState | null {
  const api = useApi();
  const [state, setState] = useState<PeaksState | null>(null);
  const mediaId = media?.id ?? null;
  const durationSec = media?.info.durationSec ?? 0;
  useEffect(() => {
    if (!mediaId) return setState(null);
    let live = true;
    setState({ status: 'loading' });
    void api.request('media.peaks', { mediaId, buckets: peakBuckets(durationSec) }).then((result) => {
      if (!live) return;
      if (result.ok) return setState({ status: 'ready', ...result.value });
      setState({ status: 'failed' });
      uiStore.set((s) => addError(s, t('import.peaksFailed', { name }), result.error.message, result.error.code));
    });
    return () => {
      live = false;
    };
  }, [api, mediaId, durationSec, name]);
  return state;
}
