import type { MediaRole } from '../../shared/contract';
import type { StringKey } from '../i18n/strings';

export type TrackId = MediaRole | 'output';

export interface TrackDef {
  id: TrackId;
  label: StringKey;
  hint: StringKey;
  /** Accepts dropped files for this role (the output track is filled by renders only). */
  role: MediaRole | null;
}

/** Top to bottom, as in the timeline. Row heights live in CSS (--track-h-<id>). */
export const TRACKS: TrackDef[] = [
  { id: 'reference', label: 'track.reference', hint: 'track.referenceHint', role: 'reference' },
  { id: 'motion', label: 'track.motion', hint: 'track.motionHint', role: 'motion' },
  { id: 'audio', label: 'track.audio', hint: 'track.audioHint', role: 'audio' },
  { id: 'output', label: 'track.output', hint: 'track.outputHint', role: null },
];
