/** Anything that holds a process, a listener, a socket or a database handle. Shutting down disposes the root. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Disposes its members in reverse order of addition, so later things (which may use earlier ones) go first. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) throw new Error('DisposableStore is already disposed');
    this.items.push(item);
    return item;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const item of this.items.reverse()) await item.dispose();
  }
}

export function toDisposable(fn: () => void | Promise<void>): Disposable {
  return { dispose: fn };
}
