// Removing a take: an undo step (history.ts brings it back), announced with how to undo it. The
// job folder stays on disk, so an undone removal shows the same frames.
import type { ProjectTake } from '../../shared/projectFile';
import { notifyFinished } from '../chrome/notify';
import { t } from '../i18n/t';
import { dispatch } from '../state/stores';

export function removeTake(take: ProjectTake): void {
  dispatch({ type: 'take.remove', jobId: take.jobId });
  notifyFinished(t('take.removed', { name: take.name }), t('take.removedMessage'));
}
