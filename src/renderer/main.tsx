import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { NoAccessToken } from './features/connection/NoAccessToken';
import { ApiProvider } from './lib/api/ApiProvider';
import { createApiClient } from './lib/api/pick-transport';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const client = createApiClient();
createRoot(root).render(
  <StrictMode>
    {client ? (
      <ApiProvider client={client}>
        <App />
      </ApiProvider>
    ) : (
      <NoAccessToken />
    )}
  </StrictMode>,
);
