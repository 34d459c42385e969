import { toDisposable, type Disposable } from '../lifecycle/disposable';
import type { RetentionService } from './retention-service';

const HOUR_MS = 3_600_000;

/** Runs retention once at start and then periodically; a failed run is logged and retried next time. */
export function scheduleRetention(service: RetentionService, intervalMs = HOUR_MS): Disposable {
  const runSafely = (reason: string): void => {
    try {
      service.run(reason);
    } catch (error) {
      console.error(`retention (${reason}) failed`, error);
    }
  };
  runSafely('start');
  const timer = setInterval(() => runSafely('periodic'), intervalMs);
  timer.unref();
  return toDisposable(() => clearInterval(timer));
}
