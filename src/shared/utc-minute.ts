/** "2026-11-24 21:25 UTC": a moment written the same on every machine, whatever its time zone. */
export function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
