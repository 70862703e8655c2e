import type { RoomStore } from '../store';
import type { Session } from './Session';

/** What the school's operator asks of the room screen: a timed message, a reload. */
export class Notices {
  constructor(store: RoomStore, session: Session, reload: () => void) {
    session.events.on('screenMessage', ({ seconds }) => {
      const shown = store.state.operatorMessage;
      setTimeout(() => {
        if (store.state.operatorMessage === shown) store.set({ operatorMessage: null });
      }, seconds * 1000);
    });
    session.events.on('reloadRequested', () => reload());
  }
}
