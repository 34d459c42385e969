import { describe, expect, it } from 'vitest';
import { allowanceButtonWords, allowanceReach } from '../../src/renderer/features/approvals/allowance-words';

describe("the approval's longer allowance, as its button says it", () => {
  it("names the caller and the day in a caller's conversation of the day, which its later sessions share", () => {
    const request = { callerOfTheDay: 'claude-code', toolName: 'fs.write' };
    expect(allowanceButtonWords(request)).toBe('Allow for claude-code today');
    expect(allowanceReach(request)).toBe('"Allow for claude-code today" lets its later fs.write calls run unasked until midnight, from any of its sessions (they share this conversation).');
  });

  it('stays "for this conversation" in a chat', () => {
    expect(allowanceButtonWords({})).toBe('Allow for this conversation');
    expect(allowanceReach({ toolName: 'fs.write' })).toBeNull();
  });
});
