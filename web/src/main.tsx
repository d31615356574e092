import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { claimSessionId } from './lib/session-id';
import './index.css';

// A duplicated tab must not share its original's sessionId (and so its lock): settle it first.
void claimSessionId().then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
