import { createContext, useContext, type ReactNode } from 'react';
import type { StudioApi } from '../shared/contract';

const ApiContext = createContext<StudioApi | null>(null);

export function ApiProvider({ api, children }: { api: StudioApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The one StudioApi object (preload or WebSocket client); components never import a transport. */
export function useApi(): StudioApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiProvider>');
  return api;
}
