import { toDisposable, type Disposable } from '../lifecycle/disposable';
import { RetentionStopped } from './deletion-slices';
import type { RetentionService } from './retention-service';

const HOUR_MS = 3_600_000;

/**
 * Runs retention once at start and then periodically, in the background (in slices: the start is not held up by
 * it); a failed run is logged and retried next time. Disposing stops a run under way between two slices.
 */
export function scheduleRetention(service: RetentionService, intervalMs = HOUR_MS): Disposable {
  const runSafely = (reason: string): void => {
    service.run(reason).catch((error: unknown) => {
      if (!(error instanceof RetentionStopped)) console.error(`retention (${reason}) failed`, error);
    });
  };
  runSafely('start');
  const timer = setInterval(() => runSafely('periodic'), intervalMs);
  timer.unref();
  return toDisposable(async () => {
    clearInterval(timer);
    await service.stop();
  });
}
