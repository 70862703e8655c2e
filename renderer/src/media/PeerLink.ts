import type { Signal } from '../../../protocol';
import { randomId } from '../../../protocol/ids';
import { lowLatencyAudio, OPUS_PTIME_MS } from './audio';
import type { EncodingPlan } from './encoding';
import { Placeholder } from './placeholder';
import { applyPlan } from './senders';
import type { Primed } from './primer';
import { withPtime, withStartBitrate } from './sdp';

/** Where bandwidth estimation starts on a LAN (Chrome's default is 300 kbps). */
export const LAN_START_KBPS = 4000;

export interface PeerLinkEvents {
  /** Every signal carries the link's session id (see PeerLink.session). */
  signal(signal: Signal, session: string): void;
  track(track: MediaStreamTrack, streams: readonly MediaStream[]): void;
  state(state: RTCPeerConnectionState): void;
  /** Rewrites a remote description before it is applied (music Opus parameters). */
  mungeRemote?(sdp: string): string;
  /**
   * Rewrites this side's answer to `remote` before it is applied: a receiver decodes in
   * stereo only what its own description declares stereo.
   */
  mungeAnswer?(sdp: string, remote: string): string;
}

/**
 * One RTCPeerConnection with one remote peer, negotiated with the perfect-negotiation pattern:
 * either side may add or remove tracks at any time; the polite side yields on offer collisions.
 * Trickle ICE; the sending side restarts ICE when the connection fails.
 *
 * `session` names this connection: a sender opens a new one per share, and a receiver that sees
 * an offer for another session replaces its connection instead of renegotiating a dead one.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  /** An answer is being applied: the state is not stable yet, but an offer is no collision. */
  private settingAnswer = false;
  private closed = false;
  /** The picture transceiver prepare() negotiated: undefined before, null once taken. */
  private spare: RTCRtpTransceiver | null | undefined;
  /** The still picture on the spare sender until a share takes it (see placeholder.ts). */
  private placeholder: Placeholder | undefined;
  private primedPlan: EncodingPlan | undefined;

  constructor(
    readonly remoteId: string,
    private readonly polite: boolean,
    private readonly events: PeerLinkEvents,
    readonly session: string = newSession(),
    config: RTCConfiguration = {},
  ) {
    this.pc = new RTCPeerConnection(config);
    // An offer in flight already carries what was added (see negotiate()); anything added after
    // it began sets the flag again once the answer is in.
    this.pc.onnegotiationneeded = () => {
      if (!this.makingOffer) void this.offer();
    };
    this.pc.onicecandidate = ({ candidate }) => {
      this.events.signal(
        { kind: 'candidate', candidate: candidate ? toCandidate(candidate) : null },
        this.session,
      );
    };
    this.pc.ontrack = (ev) => {
      lowLatencyAudio(ev.receiver);
      this.events.track(ev.track, ev.streams);
    };
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState === 'connected') this.placeholder?.frame();
      this.events.state(this.pc.connectionState);
      if (this.pc.connectionState === 'failed' && this.sending) this.restart();
    };
  }

  /** Applies a signal from the remote peer. */
  async handle(signal: Signal): Promise<void> {
    if (this.closed) return;
    switch (signal.kind) {
      case 'description': {
        const description = signal.description as RTCSessionDescriptionInit;
        // The polite side answers an offer and may offer again at once: those two arrive back
        // to back, the second while the first is still being applied. That offer follows the
        // answer on the connection's queue; taken for a collision, it would be dropped and the
        // other side would wait for its answer forever.
        const ready =
          !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingAnswer);
        const collision = description.type === 'offer' && !ready;
        this.ignoreOffer = !this.polite && collision;
        if (this.ignoreOffer) return;
        const sdp = description.sdp;
        this.settingAnswer = description.type === 'answer';
        try {
          await this.pc.setRemoteDescription(
            sdp
              ? {
                  type: description.type,
                  sdp: this.munge(withPtime(withStartBitrate(sdp, LAN_START_KBPS), OPUS_PTIME_MS)),
                }
              : description,
          );
        } finally {
          this.settingAnswer = false;
        }
        // A negotiation may change the spare's codec: its new encoder is made now, not at Share.
        if (description.type === 'answer' && this.pc.connectionState === 'connected') {
          this.placeholder?.frame();
        }
        if (description.type === 'offer') {
          const answer = await this.pc.createAnswer();
          const munge = this.events.mungeAnswer;
          await this.pc.setLocalDescription(
            munge && answer.sdp && sdp ? { type: 'answer', sdp: munge(answer.sdp, sdp) } : answer,
          );
          this.sendDescription();
        }
        return;
      }
      case 'candidate':
        try {
          await this.pc.addIceCandidate(
            (signal.candidate as RTCIceCandidateInit | null) ?? undefined,
          );
        } catch (err) {
          if (!this.ignoreOffer) throw err;
        }
        return;
      case 'restart':
        this.pc.restartIce();
        return;
      case 'view':
      case 'tracks':
        // About a stream (its size, its transceivers), not the connection: the engine's.
        return;
    }
  }

  /**
   * After signaling came back: an offer that went out while the relay was away never got its
   * answer, so send it again; a failed connection restarts ICE.
   */
  resync(): void {
    if (this.closed) return;
    if (this.pc.signalingState === 'have-local-offer') this.sendDescription();
    if (this.pc.connectionState === 'failed' && this.sending) this.restart();
  }

  /** Whether this side sends media on the link (the sender drives ICE restarts). */
  get sending(): boolean {
    return this.pc
      .getSenders()
      .some((s) => s.track !== null && s.track !== this.placeholder?.track);
  }

  /** Whether media still flows on the link in either direction. */
  get idle(): boolean {
    return (
      !this.sending &&
      this.pc.getReceivers().every((r) => r.track.readyState === 'ended' || r.track.muted)
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Connects the link before it has anything to send, with one spare transceiver for a share's
   * picture (`video` orders its codecs): ICE, DTLS and its negotiation are done when a share
   * comes, which then only sets its track on it (`takeSpare`) and needs no offer before its first
   * frame. No spare for sound: an idle audio transceiver beside it made Chromium start the
   * picture's encoder below full resolution (1280 wide for a 1080p source).
   *
   * With `primed`, the spare starts with that plan's encoding and carries a still placeholder
   * of the expected size, sent once connected: the encoder (and the receiver's decoder) exist
   * before the share.
   */
  prepare(video: (t: RTCRtpTransceiver) => void, primed?: Primed): void {
    if (this.closed || this.spare !== undefined) return;
    const plan = primed?.plan;
    this.primedPlan = plan;
    this.spare = this.pc.addTransceiver('video', {
      direction: 'sendonly',
      ...(plan && {
        sendEncodings: [{ maxBitrate: plan.maxBitrate, maxFramerate: plan.maxFramerate }],
      }),
    });
    video(this.spare);
    if (primed) this.prime(this.spare.sender, primed);
    this.negotiate();
  }

  private prime(sender: RTCRtpSender, primed: Primed): void {
    let placeholder: Placeholder;
    try {
      placeholder = new Placeholder(primed);
    } catch {
      return; // No canvas capture here: the share makes its encoder as it starts.
    }
    this.placeholder = placeholder;
    void applyPlan(sender, primed.plan)
      // Unless a share took the spare meanwhile.
      .then(() => (this.spare ? sender.replaceTrack(placeholder.track) : undefined))
      // Refused only by a link closed meanwhile: nothing left to prime.
      .catch(() => undefined);
  }

  /**
   * The spare picture transceiver for one share (it is spare no more), once negotiated and
   * while no other negotiation is in flight (it may change the spare's codec); else undefined.
   */
  takeSpare(): RTCRtpTransceiver | undefined {
    const t = this.spare;
    if (!t?.mid || t.currentDirection !== 'sendonly') return undefined;
    if (t.sender.track && t.sender.track !== this.placeholder?.track) return undefined;
    if (this.pc.signalingState !== 'stable') return undefined;
    this.spare = null;
    return t;
  }

  /** The share's track took the placeholder's place: the still picture is not needed again. */
  dropPlaceholder(): void {
    this.placeholder?.stop();
    this.placeholder = undefined;
  }

  /** The encoding the spare sender was primed with (see prepare). */
  get primed(): EncodingPlan | undefined {
    return this.primedPlan;
  }

  /** The mid of the spare while it carries its placeholder (its stats are no share's). */
  get placeholderMid(): string | null {
    return this.placeholder && this.spare ? this.spare.mid : null;
  }

  /** The spare picture transceiver while unused, to order its codecs again. */
  get spareVideo(): RTCRtpTransceiver | undefined {
    return this.spare ?? undefined;
  }

  /** A link made ready that has carried no media yet, either way (its spare is all it has). */
  get unused(): boolean {
    return !!this.spare && this.pc.getTransceivers().length === 1;
  }

  /** Asks for an ICE restart (after a network change or a failed connection). */
  restart(): void {
    if (this.closed) return;
    this.pc.restartIce();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropPlaceholder();
    this.pc.close();
  }

  /**
   * Offers what was just added now, not when the browser's `negotiationneeded` task runs: that
   * task waits behind whatever the page is busy with (40–55 ms on a teacher's page as its new
   * share renders). The event that follows finds the offer made and has nothing to do.
   */
  negotiate(): void {
    if (this.closed || this.makingOffer || this.pc.signalingState !== 'stable') return;
    void this.offer();
  }

  private munge(sdp: string): string {
    return this.events.mungeRemote ? this.events.mungeRemote(sdp) : sdp;
  }

  private async offer(): Promise<void> {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } finally {
      this.makingOffer = false;
    }
  }

  private sendDescription(): void {
    const d = this.pc.localDescription;
    if (d) {
      this.events.signal(
        { kind: 'description', description: { type: d.type, sdp: d.sdp } },
        this.session,
      );
    }
  }
}

function newSession(): string {
  return randomId(16);
}

function toCandidate(
  c: RTCIceCandidate,
): NonNullable<Extract<Signal, { kind: 'candidate' }>['candidate']> {
  return {
    candidate: c.candidate,
    sdpMid: c.sdpMid,
    sdpMLineIndex: c.sdpMLineIndex,
    usernameFragment: c.usernameFragment,
  };
}
