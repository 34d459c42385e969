import { describe, expect, it } from 'vitest';
import { approvalsHeading, waitingForApprovalWords } from '../../src/shared/approval-waiting-words';

describe('who waits for an approval', () => {
  it("is Portcullis for its model's call, and the script or MCP client that asked for one of theirs", () => {
    expect(waitingForApprovalWords({})).toBe('Portcullis is waiting for your approval');
    expect(waitingForApprovalWords({ requestedBy: 'Cursor (MCP)' })).toBe('Cursor (MCP) is waiting for your approval');
    expect(waitingForApprovalWords({ requestedBy: 'Local API (key "backup")' })).toBe('Local API (key "backup") is waiting for your approval');
  });

  it("is who sent the turn's message when the person did not (portcullis chat beside the app, a key's chat.send)", () => {
    expect(waitingForApprovalWords({ sentBy: 'Terminal' })).toBe('Terminal is waiting for your approval');
    expect(approvalsHeading([{ sentBy: 'Local API (key "nightly")' }, { sentBy: 'Local API (key "nightly")' }])).toBe('2 calls from Local API (key "nightly") are waiting for your approval');
  });

  it("is who retried the turn: the person (Portcullis waits for them) or a key, whoever sent its message", () => {
    expect(waitingForApprovalWords({ sentBy: 'Terminal', retriedBy: null })).toBe('Portcullis is waiting for your approval');
    expect(waitingForApprovalWords({ sentBy: 'Terminal', retriedBy: 'Local API (key "nightly")' })).toBe('Local API (key "nightly") is waiting for your approval');
    expect(waitingForApprovalWords({ retriedBy: 'Terminal' })).toBe('Terminal is waiting for your approval');
  });

  it('heads the approval area: who waits for one call; for several, how many, and who when one asked for them all', () => {
    expect(approvalsHeading([{ requestedBy: 'Cursor (MCP)' }])).toBe('Cursor (MCP) is waiting for your approval');
    expect(approvalsHeading([{}])).toBe('Portcullis is waiting for your approval');
    expect(approvalsHeading([{ requestedBy: 'Cursor (MCP)' }, { requestedBy: 'Cursor (MCP)' }])).toBe('2 calls from Cursor (MCP) are waiting for your approval');
    expect(approvalsHeading([{ requestedBy: 'Cursor (MCP)' }, {}, {}])).toBe('3 tool calls are waiting for your approval');
    expect(approvalsHeading([{}, {}])).toBe('2 tool calls are waiting for your approval');
  });
});
