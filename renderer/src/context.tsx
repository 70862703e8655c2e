import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppController } from './controller/AppController';
import type { RoomState } from './store';

const AppContext = createContext<AppController | null>(null);

/** Gives the page's components their controller (and through it, the store). */
export function AppProvider({ app, children }: { app: AppController; children: ReactNode }) {
  return <AppContext.Provider value={app}>{children}</AppContext.Provider>;
}

/** The page's controller. */
export function useApp(): AppController {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppProvider>');
  return app;
}

/** A slice of the page's store (re-renders when it changes). */
export function useRoom<T>(selector: (state: RoomState) => T): T {
  return useStore(useApp().store.api, selector);
}
