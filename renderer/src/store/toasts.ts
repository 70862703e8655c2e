import type { RoomState } from './state';

/** A short message about something that just happened in the class (a translation key). */
export interface ToastSpec {
  key:
    | 'toast.hand'
    | 'toast.asksToSpeak'
    | 'toast.invited'
    | 'toast.offStage'
    | 'toast.reconnecting'
    | 'toast.reconnected'
    | 'toast.lobby'
    | 'toast.recording'
    | 'toast.recordingSaved'
    | 'toast.recordingDiskLow';
  name?: string;
}

type Watched = Pick<
  RoomState,
  'me' | 'peers' | 'status' | 'invitedBy' | 'lobby' | 'room' | 'recordEnd'
>;

/**
 * What changed between two states that a person should be told about (pure, unit-tested):
 * teachers hear of hands, requests to speak and knocks; students of invitations and being
 * taken off stage; everyone of a lost and a regained connection and of a recording starting;
 * teachers of how it ended.
 */
export function roomToasts(prev: Watched, next: Watched): ToastSpec[] {
  const out: ToastSpec[] = [];
  if (next.room?.recording && prev.room && !prev.room.recording) {
    out.push({ key: 'toast.recording' });
  }
  if (next.recordEnd && next.recordEnd !== prev.recordEnd) {
    const low = next.recordEnd.reason === 'diskLow';
    out.push({ key: low ? 'toast.recordingDiskLow' : 'toast.recordingSaved' });
  }
  if (prev.status === 'joined' && next.status === 'reconnecting') {
    out.push({ key: 'toast.reconnecting' });
  }
  if (prev.status === 'reconnecting' && next.status === 'joined') {
    out.push({ key: 'toast.reconnected' });
  }
  const me = next.me;
  if (!me || !prev.me) return out;
  if (me.role === 'teacher') {
    for (const p of Object.values(next.peers)) {
      const before = prev.peers[p.id];
      if (!before) continue;
      if (p.hand && !before.hand) out.push({ key: 'toast.hand', name: p.name });
      if (p.unmuteAsked && !before.unmuteAsked) {
        out.push({ key: 'toast.asksToSpeak', name: p.name });
      }
    }
    const known = new Set(prev.lobby.map((w) => w.id));
    for (const w of next.lobby) {
      if (!known.has(w.id)) out.push({ key: 'toast.lobby', name: w.name });
    }
  }
  if (me.role === 'student') {
    if (next.invitedBy && !prev.invitedBy) out.push({ key: 'toast.invited' });
    const was = prev.peers[me.peerId]?.stage;
    const is = next.peers[me.peerId]?.stage;
    if (was === 'on' && is === 'off') out.push({ key: 'toast.offStage' });
  }
  return out;
}
