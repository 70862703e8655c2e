import { useEffect, useMemo, useRef } from 'react';
import type { PeerInfo, Share } from '../../../protocol';
import { useApp, useRoom } from '../context';
import { createLog } from '../log';

const log = createLog('audio');

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** Whether a received share's sound may be played here: it has sound and its owner is not muted. */
export function audible(share: Share, owner: PeerInfo | undefined, myId: string | undefined) {
  return share.audio && share.peerId !== myId && owner !== undefined && !owner.muted?.audio;
}

/** One received share's sound, on the chosen loudspeaker. */
function ShareAudio({ share }: { share: Share }) {
  const app = useApp();
  const ref = useRef<SinkAudio>(null);
  const streams = useRoom((s) => s.mediaRevision);
  const blocked = useRoom((s) => s.soundBlocked);
  const speaker = useRoom((s) => s.speakerDevice);
  const source = share.streamId ? app.engine.streamFor(share.streamId) : undefined;
  // Only the sound: the <video> of the same share stays muted, so nothing plays twice.
  const audioTracks =
    source
      ?.getAudioTracks()
      .map((t) => t.id)
      .join() ?? '';
  const stream = useMemo(
    () => (source && audioTracks ? new MediaStream(source.getAudioTracks()) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the tracks it holds
    [audioTracks, streams],
  );
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = stream;
    if (!stream) return;
    el.play().then(
      () => app.av.playbackAllowed(),
      (err: unknown) => {
        // The browser's autoplay policy: a click is needed once (the page shows a button).
        if ((err as Error).name === 'NotAllowedError') app.av.playbackBlocked();
        else log.info('play() failed', err);
      },
    );
  }, [stream, blocked, app]);
  useEffect(() => {
    const el = ref.current;
    if (el?.setSinkId && speaker !== undefined) {
      void el.setSinkId(speaker).catch((err: unknown) => log.info('speaker not set', err));
    }
  }, [speaker]);
  return <audio ref={ref} autoPlay data-audio-share={share.id} data-peer={share.peerId} />;
}

/**
 * The class's sound on this device: every received share with sound, while "sound on this
 * device" is on (the room screen: by default). Muted members and my own shares never play.
 */
export function RoomAudio() {
  const soundOn = useRoom((s) => s.soundOn);
  const shares = useRoom((s) => s.shares);
  const peers = useRoom((s) => s.peers);
  const myId = useRoom((s) => s.me?.peerId);
  const playing = useMemo(
    () => Object.values(shares).filter((s) => audible(s, peers[s.peerId], myId)),
    [shares, peers, myId],
  );
  if (!soundOn) return null;
  return (
    <div className="room-audio" hidden>
      {playing.map((s) => (
        <ShareAudio key={s.id} share={s} />
      ))}
    </div>
  );
}
