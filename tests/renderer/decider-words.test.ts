import { describe, expect, it } from 'vitest';
import { apiDecided, personDecided, scriptDecided, SHUTDOWN, UNASKED } from '../../src/shared/approval-decider';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { CONVERSATION_ALLOWED_RULE, conversationAllowedReason } from '../../src/shared/domain/policy';
import { denialMessage, denialNote, describeDecision, refusalNote, waitedFor } from '../../src/shared/tool-call-words';

const call = (extra: Partial<ToolCallRecord>): ToolCallRecord => ({
  id: 't', conversationId: 'c', turnId: 'u', toolName: 'fs.write', arguments: {}, status: 'denied', error: null, startedAt: 0, endedAt: 1,
  decision: { effect: 'ask', ruleId: 'default.mutating', reason: 'r' }, approval: 'denied', ...extra,
});

/** A call denied by `decidedBy` with `note`, as the gateway records it. */
const denied = (decidedBy: string | undefined, note?: string) =>
  call({ ...(decidedBy ? { decidedBy } : {}), error: { code: 'APPROVAL_REJECTED', message: denialMessage('fs.write', note, decidedBy) } });

describe('who answered an approval, as its card says it', () => {
  it('"denied by you" only when the person answered (or a call from before who answered was kept)', () => {
    expect(describeDecision(denied(personDecided('deny')))).toBe('denied by you');
    expect(describeDecision(denied(undefined))).toBe('denied by you');
    expect(refusalNote(denied(personDecided('deny'), 'not now'))).toBe('Your note: “not now”');
    expect(describeDecision(call({ status: 'succeeded', approval: 'approved', decidedBy: personDecided('allow_once') }))).toBe('approved by you');
    expect(waitedFor(denied(personDecided('deny')))).toBe('waiting for you');
  });

  it("a script's --approve: its list or its all/none, its note not the person's", () => {
    const listed = denied(scriptDecided('github.get_*,memory.read_graph'), 'denied by --approve "github.get_*,memory.read_graph": fs.write matches none of its tools');
    expect(describeDecision(listed)).toBe("denied by the script's --approve list");
    expect(refusalNote(listed)).toBe('Note: “denied by --approve "github.get_*,memory.read_graph": fs.write matches none of its tools”');
    expect(describeDecision(denied(scriptDecided('none'), 'denied by --approve none'))).toBe("denied by the script's --approve none");
    expect(describeDecision(call({ status: 'succeeded', approval: 'approved', decidedBy: scriptDecided('all') }))).toBe("approved by the script's --approve all");
    expect(waitedFor(listed)).toBe('waiting for an answer');
  });

  it('an API key allowed to approve, by its name', () => {
    const byKey = denied(apiDecided('key "nightly"'), 'too risky');
    expect(describeDecision(byKey)).toBe('denied by key "nightly"');
    expect(refusalNote(byKey)).toBe('Note: “too risky”');
    expect(describeDecision(call({ status: 'succeeded', approval: 'approved', decidedBy: apiDecided('key "nightly"') }))).toBe('approved by key "nightly"');
  });

  it('"Allow for this conversation" a key chose lets later calls run, said as its choice', () => {
    const allowedBy = (by?: string) => call({ status: 'succeeded', approval: null, decision: { effect: 'allow', ruleId: CONVERSATION_ALLOWED_RULE, reason: conversationAllowedReason('fs.write', by) } });
    expect(describeDecision(allowedBy())).toBe('allowed by you for this conversation');
    expect(describeDecision(allowedBy('key "nightly"'))).toBe('allowed for this conversation by key "nightly"');
    // In a caller's conversation of the day, said as the button said it: for that caller today.
    const ofTheDay = (by?: string) => call({ status: 'succeeded', approval: null, decision: { effect: 'allow', ruleId: CONVERSATION_ALLOWED_RULE, reason: conversationAllowedReason('fs.write', by, 'claude-code') } });
    expect(describeDecision(ofTheDay())).toBe('allowed by you for claude-code today');
    expect(describeDecision(ofTheDay('key "nightly"'))).toBe('allowed for claude-code today by key "nightly"');
    // The call it was chosen on says so too, where it read as Allow once's "approved by you".
    const chosenOn = (allowedFor: string) => call({ status: 'succeeded', approval: 'approved', decidedBy: personDecided('allow_conversation'), allowedFor });
    expect(describeDecision(chosenOn('claude-code today'))).toBe('approved by you for claude-code today');
    expect(describeDecision(chosenOn('this conversation'))).toBe('approved by you for this conversation');
  });

  it('a caller that does not wait, Portcullis closing, and no answer in time', () => {
    expect(describeDecision(denied(UNASKED, 'denied without asking'))).toBe('denied unasked: its caller does not wait');
    expect(describeDecision(denied(SHUTDOWN, 'Portcullis is shutting down.'))).toBe('not answered: Portcullis stopped');
    const lapsed = call({ approval: 'timed_out', decidedBy: 'timeout', approvalWaitMs: 120_004, error: { code: 'APPROVAL_TIMEOUT', message: 'No one approved fs.write in time, so it was denied.' } });
    expect(describeDecision(lapsed)).toBe('timed out after 2 min');
  });
});

describe('what the model is told of a denial', () => {
  it('"The person denied" only when the person did; otherwise who did, and that no person did', () => {
    expect(denialMessage('fs.write', 'later', personDecided('deny'))).toBe('The person denied fs.write. Their note: "later"');
    expect(denialMessage('fs.write', 'denied by --approve none', scriptDecided('none'))).toBe(
      'fs.write was denied by the script\'s --approve option, not by a person. Note: "denied by --approve none"',
    );
    expect(denialMessage('fs.write', undefined, apiDecided('key "nightly"'))).toBe('fs.write was denied by key "nightly", a program allowed to answer approvals, not by a person.');
    expect(denialMessage('fs.write', 'x', UNASKED)).toBe('fs.write was denied by its caller, which does not wait for approvals, not by a person. Note: "x"');
    expect(denialNote(denialMessage('fs.write', 'too risky', apiDecided('key "nightly"')))).toBe('too risky');
  });
});
