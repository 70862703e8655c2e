/** What closing needs of a WebSocket (a `ws` socket). */
export interface Closable {
  close(code: number, reason: string): void;
  terminate(): void;
}

/**
 * Starts the close handshake and terminates the socket if the peer has not finished it within
 * `graceMs`: a stalled peer may never answer a close frame.
 */
export function closeSocket(socket: Closable, code: number, reason: string, graceMs = 1000): void {
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), graceMs).unref();
}
