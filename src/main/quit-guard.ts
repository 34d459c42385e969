/**
 * Electron does not wait for promises in 'will-quit', so the first quit is held back until the runtime is
 * disposed (workers stopped, database closed), then the app exits for real. Later quit attempts while that
 * runs are held back too, so nothing exits half-way through disposal.
 */
export function createQuitGuard(options: {
  dispose(): Promise<void>;
  exit(code: number): void;
  onError(error: unknown): void;
}): (event: { preventDefault(): void }) => void {
  let disposing: Promise<void> | null = null;
  return (event) => {
    event.preventDefault();
    if (disposing) return;
    disposing = options.dispose().then(
      () => options.exit(0),
      (error: unknown) => {
        options.onError(error);
        options.exit(1);
      },
    );
  };
}
