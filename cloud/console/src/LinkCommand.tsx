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
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}/link`;
  const command = `npm run host -- --room "${name}" --cloud ${url} --cloud-room ${roomId} --cloud-token ${token}`;
  return (
    <div className="credential" role="status">
      <p>
        Room <strong>{name}</strong> ({roomId}). Its credential is shown <strong>only now</strong>;
        run this on the room's host:
      </p>
      <pre aria-label="link command">{command}</pre>
    </div>
  );
}
