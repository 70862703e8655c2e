import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { codecFor } from '../../protocol/codecs';
import { App } from './App';
import { AppProvider } from './context';
import { AppController } from './controller/AppController';
import { browserDeps } from './controller/deps';
import { desktop } from './desktop';
import { i18next, initI18n, pickLanguage } from './i18n';
import { createLog } from './log';
import { loadMediasoup } from './media/SfuPath';
import './styles/index.css';
import { applyTheme, initialTheme } from './theme';

const log = createLog('app');

// The page's CSP forbids eval; tell zod not to try its JIT.
z.config({ jitless: true });
initI18n(pickLanguage(window.location.search, navigator.languages));
applyTheme(initialTheme());
const app = new AppController(browserDeps());
// ?debug exposes the controller and store for diagnostics (and browser tests).
if (new URLSearchParams(window.location.search).has('debug')) {
  Object.assign(window, { lectern: { app, store: app.store.api } });
}
// In the desktop app, the language and codec chosen in its settings.
if (desktop) {
  desktop
    .getSettings()
    .then(async (settings) => {
      app.shares.setCodec(codecFor(settings.codec));
      if (!new URLSearchParams(window.location.search).has('lang')) {
        await i18next.changeLanguage(settings.language);
      }
    })
    .catch((err: unknown) => log.warn('desktop settings not read', err));
}

// After the first render, while the person types their name: the SFU client's code.
const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
idle(() => void loadMediasoup().catch((err: unknown) => log.warn('SFU client not loaded', err)));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider app={app}>
      <App />
    </AppProvider>
  </StrictMode>,
);
