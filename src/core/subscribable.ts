/** A listener set: `subscribe` returns its own unsubscribe, as `useSyncExternalStore` expects. */
export class Subscribable<Listener extends (...args: never[]) => void = () => void> {
  protected readonly listeners = new Set<Listener>();

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  protected emit(...args: Parameters<Listener>): void {
    for (const listener of [...this.listeners]) listener(...args);
  }
}
