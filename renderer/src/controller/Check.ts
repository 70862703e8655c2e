import type { CheckFigures, CheckResult } from '../../../protocol';
import { runNetworkCheck } from '../media/NetworkCheck';
import { probeUrl } from '../signaling/address';
import type { Session } from './Session';

/**
 * The pre-join check, for the page: measures the way to where this page's media will go (the
 * room host's SFU, or the cloud's for a remote link) and keeps the last result, which the 10 s
 * metrics carry once the page has joined.
 */
export class Check {
  private last: CheckResult | null = null;
  private running: Promise<CheckResult | null> | null = null;

  constructor(
    private readonly session: Session,
    private readonly location: { protocol: string; host: string },
  ) {}

  /** The last check's result (null: none ran). */
  get result(): CheckResult | null {
    return this.last;
  }

  /** Runs a check (one at a time); null when there is nowhere to check (no address). */
  run(address = '', progress?: (f: CheckFigures) => void): Promise<CheckResult | null> {
    this.running ??= this.start(address, progress).finally(() => (this.running = null));
    return this.running;
  }

  private async start(
    address: string,
    progress?: (f: CheckFigures) => void,
  ): Promise<CheckResult | null> {
    const remote = this.session.remoteLink;
    const url = probeUrl(this.location, address, remote);
    if (url === null) return null;
    this.last = await runNetworkCheck(url, remote !== null ? 'cloud' : 'host', progress);
    return this.last;
  }
}
