const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30d`, `12h`, `90m` from now, or an ISO date/time. Returns epoch ms; throws a message that says what is accepted. */
export function parseExpiry(value: string, now: number): number {
  const relative = /^(\d{1,6})([mhd])$/.exec(value.trim());
  if (relative) {
    const amount = Number(relative[1]);
    if (amount <= 0) throw new Error('The expiry must be in the future.');
    return now + amount * UNIT_MS[relative[2]!]!;
  }
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim()) || Number.isNaN(at)) {
    throw new Error(`"${value}" is not an expiry; use e.g. 30d, 12h, 90m or an ISO date such as 2027-01-31.`);
  }
  if (at <= now) throw new Error('The expiry must be in the future.');
  return at;
}
