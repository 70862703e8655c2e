/** Event name → listener arguments. */
export type EventMap = Record<string, unknown[]>;

/**
 * A small typed event emitter for Node and browsers alike: `on` returns the unsubscribe
 * function; a listener that throws does not stop the others (the error goes to `onError`).
 */
export class Emitter<E extends EventMap> {
  private readonly listeners: { [K in keyof E]?: Set<(...args: E[K]) => void> } = {};

  constructor(private readonly onError: (err: unknown) => void = rethrowLater) {}

  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    const set = (this.listeners[event] ??= new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.listeners[event];
    if (!set) return;
    for (const listener of set) {
      try {
        listener(...args);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}

function rethrowLater(err: unknown): void {
  setTimeout(() => {
    throw err;
  });
}
