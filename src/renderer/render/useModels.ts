import { useEffect, useState } from 'react';
import type { ModelInfo } from '../../shared/contract';
import { useApi } from '../ApiContext';

/** The installed models (models.list builds the demo model the first time, so this can take a while). */
export function useModels(): { models: ModelInfo[]; loading: boolean; error: string | null } {
  const api = useApi();
  const [state, setState] = useState<{ models: ModelInfo[]; loading: boolean; error: string | null }>({ models: [], loading: true, error: null });
  useEffect(() => {
    let live = true;
    void api.request('models.list', {}).then((result) => {
      if (!live) return;
      setState(result.ok ? { models: result.value, loading: false, error: null } : { models: [], loading: false, error: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}
