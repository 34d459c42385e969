import type { Disposable } from './disposable';

/** A typed event source: `onDidX = emitter.event`. Listener errors are isolated so one cannot starve others. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        console.error('event listener failed', error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
