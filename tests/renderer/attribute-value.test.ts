import { describe, expect, it } from 'vitest';
import { shownAttributeValue } from '../../src/renderer/features/traces/attribute-value';
import { formatTimeToSecond } from '../../src/renderer/lib/format';

describe("a span's attribute as its details show it", () => {
  it('says a time kept as epoch ms (an approval\'s expires_at) as a time of day, not as the number', () => {
    const expires = Date.UTC(2026, 10, 25, 20, 1, 30);
    expect(shownAttributeValue('portcullis.approval.expires_at', expires)).toBe(formatTimeToSecond(expires));
    expect(shownAttributeValue('portcullis.approval.expires_at', expires)).not.toContain(String(expires));
  });

  it('leaves any other value as it is, and an _at that is no number', () => {
    expect(shownAttributeValue('portcullis.approval.outcome', 'approved')).toBe('approved');
    expect(shownAttributeValue('gen_ai.usage.input_tokens', 1234)).toBe('1234');
    expect(shownAttributeValue('portcullis.turn.started_at', 'soon')).toBe('soon');
  });
});
