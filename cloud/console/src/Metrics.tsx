import type { RoomView } from '../../../protocol';
import { Chart } from './Chart';

const kbps = (v: number) => v / 1000;

/** Per device and stream: bitrate, fps, loss and RTT over the last ten minutes; the host's load. */
export function Metrics({ room }: { room: RoomView }) {
  if (room.series.length === 0 && room.hostSeries.length === 0) {
    return (
      <section className="panel">
        <h2>Metrics</h2>
        <p className="muted">No metrics yet: devices report every 10 s while media flows.</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-label="metrics">
      <h2>
        Metrics{' '}
        <small className="muted">
          ICE failures {room.iceFailures} · interruptions {room.iceInterruptions}
        </small>
      </h2>
      <div className="charts">
        {room.series.map((s) => {
          const last = s.points[s.points.length - 1];
          return (
            <div key={`${s.device}/${s.stream}`} className="stream" data-device={s.name}>
              <h3>
                {s.name} · {s.direction === 'out' ? 'sending' : 'receiving'} via {s.path} ·{' '}
                {s.codec} {s.resolution}
              </h3>
              <p className="muted">
                loss {((last?.lossRate ?? 0) * 100).toFixed(1)}% · jitter{' '}
                {last?.jitterMs?.toFixed(1) ?? '–'} ms · RTT {last?.rttMs?.toFixed(1) ?? '–'} ms
              </p>
              <Chart
                title="Bitrate"
                unit=" Mb/s"
                lines={[
                  {
                    label: '',
                    color: '#3b6fd8',
                    points: s.points.map((p) => ({ at: p.at, v: kbps(p.bitrateKbps) })),
                  },
                ]}
              />
              <Chart
                title="Frame rate"
                unit=" fps"
                lines={[
                  {
                    label: '',
                    color: '#17713a',
                    points: s.points.map((p) => ({ at: p.at, v: p.fps })),
                  },
                ]}
              />
            </div>
          );
        })}
        {room.hostSeries.length > 0 && (
          <div className="stream" data-device="host">
            <h3>Room host</h3>
            <p className="muted">
              {room.host?.connections ?? 0} connections · outbox {room.host?.outbox ?? 0} · shed{' '}
              {room.host?.dropped ?? 0}
            </p>
            <Chart
              title="CPU"
              unit="%"
              lines={[
                {
                  label: '',
                  color: '#b3261e',
                  points: room.hostSeries.map((p) => ({ at: p.at, v: p.cpuPct })),
                },
              ]}
            />
            <Chart
              title="Memory"
              unit=" MB"
              lines={[
                {
                  label: '',
                  color: '#7a4fc2',
                  points: room.hostSeries.map((p) => ({ at: p.at, v: p.rssMb })),
                },
              ]}
            />
          </div>
        )}
      </div>
    </section>
  );
}
