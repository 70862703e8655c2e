/**
 * What a review page is given about one record: its streams with their place on the class's
 * timeline, and the class's events as people read them (who said what, who came and went, who
 * was on stage, what was shared). Only these leave the host: the raw event log also holds what
 * only teachers saw (the join code, the lobby).
 */
import {
  machineLabel,
  recordDuration,
  type PeerInfo,
  type ReviewEvent,
  type Review,
  type ServerNotification,
} from '../../protocol';
import type { Manifest } from './Recording';

/** One line of `events.jsonl`. */
export interface LoggedEvent {
  t: number;
  method: ServerNotification['method'];
  params: unknown;
}

export function parseEvents(text: string): LoggedEvent[] {
  const out: LoggedEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as LoggedEvent);
    } catch {
      // A host killed mid-line leaves half a line at the end: the rest is kept.
    }
  }
  return out;
}

/** The class's events as the review shows them (names resolved, teacher-only ones left out). */
export function reviewEvents(logged: readonly LoggedEvent[]): ReviewEvent[] {
  const names = new Map<string, string>();
  const onStage = new Set<string>();
  const sharers = new Map<string, string>();
  const out: ReviewEvent[] = [];
  const peer = (p: PeerInfo, t: number, joined: boolean) => {
    names.set(p.id, p.name);
    if (joined) out.push({ t, kind: 'joined', name: p.name });
    const on = p.stage === 'on';
    if (on === onStage.has(p.id)) return;
    if (on) onStage.add(p.id);
    else onStage.delete(p.id);
    out.push({ t, kind: on ? 'onStage' : 'offStage', name: p.name });
  };
  for (const e of logged) {
    const n = { method: e.method, params: e.params } as ServerNotification;
    switch (n.method) {
      case 'chatPosted':
        out.push({
          t: e.t,
          kind: 'chat',
          name: n.params.message.name,
          text: n.params.message.text,
        });
        break;
      case 'peerJoined':
        peer(n.params.peer, e.t, e.t > 0);
        break;
      case 'peerUpdated':
        peer(n.params.peer, e.t, false);
        break;
      case 'peerLeft': {
        const name = names.get(n.params.peerId);
        if (name) out.push({ t: e.t, kind: 'left', name });
        break;
      }
      case 'shareStarted': {
        const name = names.get(n.params.share.peerId) ?? '?';
        sharers.set(n.params.share.id, name);
        const label = n.params.share.label;
        out.push({
          t: e.t,
          kind: 'shareStarted',
          name,
          ...(!machineLabel(label) && { text: label }),
        });
        break;
      }
      case 'shareStopped': {
        const name = sharers.get(n.params.shareId);
        if (name) out.push({ t: e.t, kind: 'shareStopped', name });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** The review of one record, from its manifest and its event log. */
export function reviewOf(m: Manifest, logged: readonly LoggedEvent[]): Review {
  return {
    title: m.title ?? m.room,
    startedAt: m.startedAt,
    durationMs: recordDuration(m),
    startedBy: m.startedBy,
    onStage: m.onStage,
    streams: m.streams
      .filter((s) => s.startedAt !== null)
      .map((s) => ({
        file: s.file,
        kind: s.kind,
        codec: s.codec,
        peer: s.peer,
        role: s.role,
        label: machineLabel(s.share.label) ? '' : s.share.label,
        shareKind: s.share.kind,
        from: s.startedAt! - m.startedAt,
        to: s.endedAt === null ? null : s.endedAt - m.startedAt,
      })),
    events: reviewEvents(logged),
    boards: (m.boards ?? []).map(({ t, page, file }) => ({ t, page, file })),
  };
}
