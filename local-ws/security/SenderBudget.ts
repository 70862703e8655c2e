import { ErrorCode, ProtocolError } from '../../protocol';
import type { RelayLimits } from '../config';
import { TokenBucket } from './TokenBucket';

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
  | 'metrics';

export class SenderBudget {
  private readonly buckets: Record<CostKind, TokenBucket>;

  constructor(l: RelayLimits) {
    this.buckets = {
      chat: new TokenBucket(l.chatPerSecond, l.chatBurst),
      fanout: new TokenBucket(l.fanoutBytesPerSecond, l.fanoutBurstBytes),
      reaction: new TokenBucket(l.reactionsPerSecond, l.reactionsBurst),
      roster: new TokenBucket(l.rosterChangesPerSecond, l.rosterChangesBurst),
      signal: new TokenBucket(l.signalBytesPerSecond, l.signalBurstBytes),
      heavy: new TokenBucket(l.heavyPerSecond, l.heavyBurst),
      metrics: new TokenBucket(l.metricsPerSecond, l.metricsBurst),
    };
  }

  /** Charges `cost` of `kind`, or throws RATE_LIMITED with the wait. */
  charge(kind: CostKind, cost = 1): void {
    const bucket = this.buckets[kind];
    if (bucket.take(cost)) return;
    throw new ProtocolError(
      ErrorCode.RATE_LIMITED,
      `too much ${kind} from this device`,
      bucket.retryAfterMs(cost),
    );
  }
}
