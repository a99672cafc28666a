import { useCallback, useEffect, useMemo, useRef, type ChangeEvent } from 'react';
import { useApi } from './ApiContext';
import { AskDialog } from './chrome/AskDialog';
import { DropOverlay } from './chrome/DropOverlay';
import { HelpOverlay } from './chrome/HelpOverlay';
import { MessageBanners } from './chrome/MessageBanners';
import { StatusBar } from './chrome/StatusBar';
import { TopBar } from './chrome/TopBar';
import { ConnectionBanner } from './connection/ConnectionBanner';
import { followReconnects } from './connection/reconnect';
import { useWindowDrop } from './chrome/useWindowDrop';
import { ExportDialog } from './export/ExportDialog';
import { followExportEvents } from './export/exportActions';
import { followImportProgress, importFiles, openMedia } from './import/importMedia';
import { useShortcuts } from './keyboard/useShortcuts';
import { followModelEvents } from './models/modelActions';
import { ModelManager } from './models/ModelManager';
import { PanelSlot } from './panels/PanelSlot';
import { startProjectSession } from './project/projectSession';
import { followRenderEvents } from './render/renderActions';
import { loadSettings, persistSettings } from './state/settingsSync';
import { Timeline } from './timeline/Timeline';
import { Viewer } from './viewer/Viewer';

/** The editor window: top bar, viewer with the panels beside it, timeline, status bar. */
export function App() {
  const api = useApi();
  const fileInput = useRef<HTMLInputElement>(null);
  const pickFiles = useCallback(() => fileInput.current?.click(), []);
  const open = useCallback(() => void openMedia(api, pickFiles), [api, pickFiles]);
  const commandContext = useMemo(() => ({ api, pickFiles }), [api, pickFiles]);
  useShortcuts(commandContext);
  const dragging = useWindowDrop(api);

  useEffect(() => {
    void loadSettings(api);
    const stops = [persistSettings(api), followImportProgress(api), followRenderEvents(api), followExportEvents(api), followModelEvents(api), startProjectSession(api), followReconnects(api)];
    return () => stops.forEach((stop) => stop());
  }, [api]);

  const onPicked = (event: ChangeEvent<HTMLInputElement>): void => {
    const files = Array.from(event.target.files ?? []);
    // Reset so picking the same file again still fires change.
    event.target.value = '';
    if (files.length > 0) void importFiles(api, files);
  };

  return (
    <div className="app">
      <TopBar onOpen={open} />
      <ConnectionBanner />
      <main className="workspace">
        <div className="stage">
          <Viewer />
          <MessageBanners />
        </div>
        <PanelSlot />
      </main>
      <Timeline />
      <StatusBar />
      <input ref={fileInput} type="file" multiple hidden data-testid="file-input" accept="video/*,image/*,audio/*" onChange={onPicked} />
      <DropOverlay visible={dragging} />
      <HelpOverlay />
      <ExportDialog />
      <ModelManager />
      <AskDialog />
    </div>
  );
}
