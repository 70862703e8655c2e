import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import { app } from './controller';
import { useRoom } from './store';
import { initI18n, pickLanguage } from './i18n';
import './styles.css';

// The page's CSP forbids eval; tell zod not to try its JIT.
z.config({ jitless: true });
initI18n(pickLanguage(window.location.search, navigator.languages));
// ?debug exposes the controller and store for diagnostics (and browser tests).
if (new URLSearchParams(window.location.search).has('debug')) {
  Object.assign(window, { lectern: { app, store: useRoom } });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
