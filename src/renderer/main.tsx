import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api';
import { ApiProvider } from './ApiContext';
import { App } from './App';
import './styles/theme.css';
import './styles/layout.css';
import './styles/overlays.css';
import './styles/timeline.css';
import './styles/tracks.css';
import './styles/viewer.css';
import './styles/panels.css';
import './styles/workflow.css';
import './styles/dialogs.css';
import './styles/models.css';
import './styles/editor.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={getApi()}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
