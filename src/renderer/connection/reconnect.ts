// What the editor does when the server comes back after a loss: the project stays as it is in the
// tab; what the server knows is asked again (settings, and the takes that were rendering: a
// restarted server reports their jobs as stopped, so they can be resumed).
import type { StudioApi } from '../../shared/contract';
import { notifyFinished } from '../chrome/notify';
import { t } from '../i18n/t';
import { jobFromSummary } from '../state/jobs';
import { loadSettings } from '../state/settingsSync';
import { dispatch, jobsStore, projectStore } from '../state/stores';

async function refreshLiveTakes(api: StudioApi): Promise<void> {
  for (const take of projectStore.get().takes) {
    const known = jobsStore.get()[take.jobId];
    if (known && known.status !== 'running' && known.status !== 'queued') continue;
    const result = await api.request('render.job', { jobId: take.jobId });
    if (!result.ok) continue;
    jobsStore.set((jobs) => ({ ...jobs, [take.jobId]: jobFromSummary(result.value, jobs[take.jobId]) }));
    dispatch({ type: 'take.status', jobId: take.jobId, status: result.value.status });
  }
}

/** Follows the connection: after a loss, the first open refreshes and says so. */
export function followReconnects(api: StudioApi): () => void {
  const connection = api.transport.connection;
  if (!connection) return () => undefined;
  let wasLost = false;
  return connection.subscribe((state) => {
    if (state === 'lost') wasLost = true;
    if (state !== 'open' || !wasLost) return;
    wasLost = false;
    void loadSettings(api);
    void refreshLiveTakes(api);
    notifyFinished(t('connection.back'), t('connection.backMessage'));
  });
}
