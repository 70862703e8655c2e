import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import { initI18n, pickLanguage } from './i18n';
import './styles.css';

// The page's CSP forbids eval; tell zod not to try its JIT.
z.config({ jitless: true });
initI18n(pickLanguage(window.location.search, navigator.languages));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
