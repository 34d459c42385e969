import { formatTimeToSecond } from '../../lib/format';

/**
 * An attribute's value as the span's details show it: a time the trace keeps as epoch ms (`…_at`, as the approval's
 * `portcullis.approval.expires_at`) as a time of day, as `portcullis traces show` says it in UTC; anything else as
 * it is. "1795636890443" told the person nothing of when the approval would have run out.
 */
export function shownAttributeValue(key: string, value: unknown): string {
  return key.endsWith('_at') && typeof value === 'number' && Number.isFinite(value) ? formatTimeToSecond(value) : String(value);
}
