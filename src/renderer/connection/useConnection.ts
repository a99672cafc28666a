// The state of browser mode's link to the server (renderer/api/wsClient.ts); always 'open' under
// Electron, which has no such link.
import { useSyncExternalStore } from 'react';
import type { ConnectionState, StudioApi } from '../../shared/contract';
import { useApi } from '../ApiContext';

const always = (): (() => void) => () => undefined;

export function connectionState(api: StudioApi): ConnectionState {
  return api.transport.connection?.state() ?? 'open';
}

export function useConnectionState(): ConnectionState {
  const api = useApi();
  const connection = api.transport.connection;
  return useSyncExternalStore(connection ? (l) => connection.subscribe(l) : always, () => connectionState(api));
}
