import { describe, expect, it } from 'vitest';
import { approvalsHeading, waitingForApprovalWords } from '../../src/shared/approval-waiting-words';

describe('who waits for an approval', () => {
  it("is Portcullis for its model's call, and the script or MCP client that asked for one of theirs", () => {
    expect(waitingForApprovalWords({})).toBe('Portcullis is waiting for your approval');
    expect(waitingForApprovalWords({ requestedBy: 'Cursor (MCP)' })).toBe('Cursor (MCP) is waiting for your approval');
    expect(waitingForApprovalWords({ requestedBy: 'Local API (key "backup")' })).toBe('Local API (key "backup") is waiting for your approval');
  });

  it('heads the approval area: who waits for one call; for several, how many, and who when one asked for them all', () => {
    expect(approvalsHeading([{ requestedBy: 'Cursor (MCP)' }])).toBe('Cursor (MCP) is waiting for your approval');
    expect(approvalsHeading([{}])).toBe('Portcullis is waiting for your approval');
    expect(approvalsHeading([{ requestedBy: 'Cursor (MCP)' }, { requestedBy: 'Cursor (MCP)' }])).toBe('2 calls from Cursor (MCP) are waiting for your approval');
    expect(approvalsHeading([{ requestedBy: 'Cursor (MCP)' }, {}, {}])).toBe('3 tool calls are waiting for your approval');
    expect(approvalsHeading([{}, {}])).toBe('2 tool calls are waiting for your approval');
  });
});
