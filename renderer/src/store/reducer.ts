import type { ServerEvent, ServerPayload } from '../../../protocol';
import type { RoomState } from './state';

/** How one notification changes the store: the fields it sets, or null for none. */
export type Reducer<E extends ServerEvent> = (
  state: RoomState,
  params: ServerPayload<E>,
) => Partial<RoomState> | null;

/** A slice's reducers; the store's table must cover every ServerEvent (checked by `satisfies`). */
export type Reducers<Es extends ServerEvent> = { [E in Es]: Reducer<E> };

/** For notifications that change no state (controllers act on them). */
export const unchanged = (): null => null;
