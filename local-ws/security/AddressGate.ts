import type { Socket } from 'node:net';
import type { RelayLimits } from '../config';
import { TokenBucket } from '../../server-kit/TokenBucket';

interface AddressState {
  open: number;
  connects: TokenBucket;
}

/**
 * The relay's door, per remote address, at the TCP level — before any HTTP is parsed: how many
 * connections one address may hold open, and how fast it may open new ones. Refused sockets
 * are destroyed at once, so a flood of connection attempts costs the event loop almost nothing.
 */
export class AddressGate {
  private readonly addresses = new Map<string, AddressState>();

  constructor(private readonly limits: RelayLimits) {}

  /** A new TCP connection: false (and destroyed) when its address is over its limits. */
  admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? 'unknown';
    let state = this.addresses.get(address);
    if (!state) {
      state = {
        open: 0,
        connects: new TokenBucket(
          this.limits.connectsPerSecondPerAddress,
          this.limits.connectsBurstPerAddress,
        ),
      };
      this.addresses.set(address, state);
    }
    if (!state.connects.take() || state.open >= this.limits.maxTcpPerAddress) {
      socket.destroy();
      if (state.open === 0 && this.addresses.size > 10_000) this.addresses.delete(address);
      return false;
    }
    state.open++;
    const s = state;
    socket.once('close', () => {
      s.open--;
      // Forget idle addresses; their bucket would be full again by the next visit anyway.
      if (s.open === 0) {
        setTimeout(() => s.open === 0 && this.addresses.delete(address), 10_000).unref();
      }
    });
    return true;
  }
}
