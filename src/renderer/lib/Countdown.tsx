import { formatCountdown } from './format';
import { useNow } from './use-now';

/**
 * The time a waiting request has left before it ends by itself, urgent in its last 30 s. Its own component, so
 * the tick each second redraws only this line, not the dialog (and its form) around it.
 */
export function Countdown({ expiresAt, means, over, testId }: {
  expiresAt: number;
  /** What no answer means: "No answer in 1:30 means <means>". */
  means: string;
  /** What is said once the time is up. */
  over: string;
  testId: string;
}) {
  const remaining = expiresAt - useNow(1000);
  return (
    <span className={`countdown${remaining < 30_000 ? ' urgent' : ''}`} data-testid={testId}>
      {remaining > 0 ? `No answer in ${formatCountdown(remaining)} means ${means}` : over}
    </span>
  );
}
