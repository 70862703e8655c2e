import { useT } from './i18n';

/** The credential, shown once, and the command that links a room host with it. */
export function LinkCommand({
  roomId,
  token,
  name,
}: {
  roomId: string;
  token: string;
  name: string;
}) {
  const { t } = useT();
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}/link`;
  const command = `npm run host -- --room "${name}" --cloud ${url} --cloud-room ${roomId} --cloud-token ${token}`;
  return (
    <div className="credential" role="status">
      <p>{t('credential.once', { name, id: roomId })}</p>
      <pre aria-label={t('credential.command')}>{command}</pre>
    </div>
  );
}
