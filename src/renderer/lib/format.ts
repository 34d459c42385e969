/** "12 ms", "1.4 s", "2 min 3 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** "1:45" for a countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${seconds.toString().padStart(2, '0')}`;
}

/** Pretty JSON that never throws (cycles and BigInts become text). */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '(none)';
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const KEY_ARGUMENT_NAMES = ['path', 'url', 'command', 'query', 'name', 'pattern', 'key', 'id'];

/** The one or two arguments that say what a call does, e.g. `path: hello.txt`. */
export function keyArguments(args: unknown): string {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return args === undefined ? '' : truncate(JSON.stringify(args) ?? '', 80);
  }
  const entries = Object.entries(args as Record<string, unknown>);
  const preferred = entries.filter(([key]) => KEY_ARGUMENT_NAMES.includes(key));
  const chosen = (preferred.length > 0 ? preferred : entries).slice(0, 2);
  return chosen
    .map(([key, value]) => `${key}: ${truncate(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), 60)}`)
    .join(', ');
}

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
