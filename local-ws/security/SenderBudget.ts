import { ErrorCode, ProtocolError } from '../../protocol';
import type { RelayLimits } from '../config';
import { TokenBucket } from '../../server-kit/TokenBucket';

/**
 * What a sender's messages cost the room, by kind. Each kind has its own budget, so a flood of
 * one (chat) does not eat another (signaling), and the sender is refused (RATE_LIMITED, with a
 * wait) before any receiver falls behind.
 */
export type CostKind =
  /** chat messages (a human rate) */
  | 'chat'
  /** bytes × recipients of everything it broadcasts */
  | 'fanout'
  | 'reaction'
  /** hand, stage and share changes: each is broadcast to the room */
  | 'roster'
  /** signaling bytes forwarded to one peer */
  | 'signal'
  /** snapshots and chat history pages */
  | 'heavy'
  | 'metrics'
  /** whiteboard batches and steps (a drawing hand's rate), and the laser pointer */
  | 'board'
  | 'laser';

export class SenderBudget {
  /** Made on a kind's first use: most connections never chat, so idle ones carry none. */
  private readonly buckets: Partial<Record<CostKind, TokenBucket>> = {};

  constructor(private readonly limits: RelayLimits) {}

  /** Charges `cost` of `kind`, or throws RATE_LIMITED with the wait. */
  charge(kind: CostKind, cost = 1): void {
    const bucket = (this.buckets[kind] ??= this.create(kind));
    if (bucket.take(cost)) return;
    throw new ProtocolError(
      ErrorCode.RATE_LIMITED,
      `too much ${kind} from this device`,
      bucket.retryAfterMs(cost),
    );
  }

  private create(kind: CostKind): TokenBucket {
    const l = this.limits;
    const table: Record<CostKind, [number, number]> = {
      chat: [l.chatPerSecond, l.chatBurst],
      fanout: [l.fanoutBytesPerSecond, l.fanoutBurstBytes],
      reaction: [l.reactionsPerSecond, l.reactionsBurst],
      roster: [l.rosterChangesPerSecond, l.rosterChangesBurst],
      signal: [l.signalBytesPerSecond, l.signalBurstBytes],
      heavy: [l.heavyPerSecond, l.heavyBurst],
      metrics: [l.metricsPerSecond, l.metricsBurst],
      board: [l.boardPerSecond, l.boardBurst],
      laser: [l.laserPerSecond, l.laserBurst],
    };
    const [rate, burst] = table[kind];
    return new TokenBucket(rate, burst);
  }
}
