import { CliUsageError } from './command';

/**
 * "90s", "2m", "1500ms" or a bare number of seconds → milliseconds (at least 100 ms, at most a day). `option` names
 * the option it was given to, so that a mistake says which one.
 */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new CliUsageError(`${option} takes a duration like 90s, 2m or 1500ms, not "${text}".`);
  const value = Number(match[1]);
  const ms = match[2] === 'ms' ? value : match[2] === 'm' ? value * 60_000 : value * 1_000;
  if (ms < 100 || ms > 86_400_000) throw new CliUsageError(`${option} must be between 100ms and 24 hours, not "${text}".`);
  return Math.round(ms);
}
