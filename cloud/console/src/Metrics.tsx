import type { RoomView } from '../../../protocol';
import { Chart } from './Chart';
import { useT } from './i18n';

const kbps = (v: number) => v / 1000;

/** Per device and stream: bitrate, fps, loss and RTT over the last ten minutes; the host's load. */
export function Metrics({ room }: { room: RoomView }) {
  const { t } = useT();
  if (room.series.length === 0 && room.hostSeries.length === 0) {
    return (
      <section className="panel">
        <h2>{t('metrics.title')}</h2>
        <p className="muted">{t('metrics.none')}</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-label={t('metrics.title')}>
      <h2>
        {t('metrics.title')}{' '}
        <small className="muted">
          {t('metrics.ice', {
            failures: room.iceFailures,
            interruptions: room.iceInterruptions,
          })}
        </small>
      </h2>
      <div className="charts">
        {room.series.map((s) => {
          const last = s.points[s.points.length - 1];
          return (
            <div key={`${s.device}/${s.stream}`} className="stream" data-device={s.name}>
              <h3>{t(s.direction === 'out' ? 'metrics.out' : 'metrics.in', { ...s })}</h3>
              <p className="muted">
                {t('metrics.quality', {
                  loss: ((last?.lossRate ?? 0) * 100).toFixed(1),
                  jitter: last?.jitterMs?.toFixed(1) ?? '–',
                  rtt: last?.rttMs?.toFixed(1) ?? '–',
                })}
              </p>
              <Chart
                title={t('metrics.bitrate')}
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
                title={t('metrics.fps')}
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
            <h3>{t('metrics.host')}</h3>
            <p className="muted">
              {t('metrics.hostLine', {
                connections: room.host?.connections ?? 0,
                outbox: room.host?.outbox ?? 0,
                dropped: room.host?.dropped ?? 0,
              })}
            </p>
            <Chart
              title={t('metrics.cpu')}
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
              title={t('metrics.memory')}
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
