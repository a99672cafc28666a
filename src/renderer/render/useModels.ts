import { useEffect, useState } from 'react';
import type { ModelInfo } from '../../shared/contract';
import { useApi } from '../ApiContext';
import { modelManagerStore } from '../models/modelActions';
import { useStore } from '../state/useStore';

interface ModelsState {
  models: ModelInfo[];
  loading: boolean;
  error: string | null;
}

/**
 * The installed models (models.list builds the demo model the first time, so this can take a
 * while). It asks again whenever the set changes: an import finished (models.done) or a model was
 * removed; the previous list stays on screen meanwhile.
 */
export function useModels(): ModelsState {
  const api = useApi();
  const revision = useStore(modelManagerStore, (s) => s.revision);
  const [state, setState] = useState<ModelsState>({ models: [], loading: true, error: null });
  useEffect(() => {
    let live = true;
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    void api.request('models.list', {}).then((result) => {
      if (!live) return;
      setState(result.ok ? { models: result.value, loading: false, error: null } : { models: [], loading: false, error: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [api, revision]);
  return state;
}
