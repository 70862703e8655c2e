import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RoomSnapshot, ServerEvent, ServerNotification } from '../../../protocol';
import type { StreamStats } from '../media/stats';
import { boardInkReducers, boardReducers, boardSavedReducers } from './board';
import { chatReducers } from './chat';
import { noticesReducers } from './notices';
import { peersReducers } from './peers';
import type { Reducer, Reducers } from './reducer';
import { sessionReducers } from './session';
import { stageReducers } from './stage';
import { initialState, type RoomState } from './state';

export { initialState, type RoomState } from './state';
export * from './selectors';

/** Every notification's reducer, one slice per concern; a missing one fails the type-check. */
const reducers: Reducers<ServerEvent> = {
  ...sessionReducers,
  ...peersReducers,
  ...stageReducers,
  ...chatReducers,
  ...noticesReducers,
  ...boardReducers,
  ...boardInkReducers,
  ...boardSavedReducers,
} satisfies Reducers<ServerEvent>;

const byId = <T extends { id: string }>(list: T[]) =>
  Object.fromEntries(list.map((x) => [x.id, x]));

/**
 * One page's state (a zustand store, one per controller: tests run a teacher and students in
 * one process). React reads it through `useRoom`; controllers change it through these methods.
 */
export class RoomStore {
  readonly api: StoreApi<RoomState> = createStore<RoomState>()(() => initialState);

  get state(): RoomState {
    return this.api.getState();
  }

  set(patch: Partial<RoomState>): void {
    this.api.setState(patch);
  }

  /** Folds one relay notification into the store. */
  apply(n: ServerNotification): void {
    // Typed per event in the table; the union cannot be correlated with its params here.
    const reduce = reducers[n.method] as Reducer<ServerEvent>;
    const patch = reduce(this.state, n.params);
    if (patch) this.set(patch);
  }

  /** A (re)join: the snapshot replaces what the page knew of the room. */
  applySnapshot(me: RoomState['me'], snap: RoomSnapshot): void {
    this.set({
      me,
      room: snap.room,
      code: snap.code ?? null,
      joinUrl: snap.joinUrl ?? null,
      secureUrl: snap.secureUrl ?? null,
      pin: snap.pin ?? null,
      sfu: snap.sfu ?? false,
      cloud: snap.cloud ?? null,
      ice: snap.ice ?? null,
      peers: byId(snap.peers),
      shares: byId(snap.shares),
      layout: snap.layout,
      chat: snap.chat,
      bans: snap.bans ?? [],
      lobby: snap.lobby ?? [],
      board: snap.board?.info ?? null,
      boardPages: snap.board?.pages ?? [],
      annotations: snap.board?.annotations ?? {},
      lasers: {},
      waitingForTeacher: false,
      error: null,
      invitedBy:
        snap.peers.find((p) => p.id === me?.peerId)?.stage === 'invited' ? 'teacher' : null,
    });
  }

  /** Keeps the last 30 samples per stream for the overlay's graphs. */
  applyStats(stats: StreamStats[]): void {
    const history = { ...this.state.statsHistory };
    for (const st of stats) {
      history[st.id] = [...(history[st.id] ?? []), { bitrate: st.bitrate, fps: st.fps }].slice(-30);
    }
    this.set({ stats, statsHistory: history });
  }

  /** Back to the start (a new join). */
  /** Back to the start; what this device remembers outlives a session. */
  reset(): void {
    this.api.setState({ ...initialState, rememberedRooms: this.state.rememberedRooms }, true);
  }
}
