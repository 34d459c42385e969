import { describe, expect, it } from 'vitest';
import { callOutcomeLines } from '../../src/cli/call-outcome-lines';

describe('what tools call prints without --json', () => {
  it('says why a call it did not run was asked, where --json alone said an always-allow rule was set aside', () => {
    const reason = 'This conversation read untrusted content (output of everything.echo on everything, a server Portcullis does not control), so fs.write, which can change things or send data out, asks you even though user.fs.write.614ff9ec would allow it.';
    expect(callOutcomeLines({ tool: 'fs.write', decision: { effect: 'ask', ruleId: 'taint.override', reason }, status: 'denied', error: { message: 'fs.write was denied by its caller, which does not wait for approvals, not by a person.' } })).toEqual([
      '[fs.write] ask → denied: fs.write was denied by its caller, which does not wait for approvals, not by a person.',
      `  why it asked: ${reason} (rule taint.override)`,
    ]);
    expect(callOutcomeLines({ tool: 'fs.read', decision: { effect: 'deny', ruleId: 'deny.secrets', reason: 'Reading .env is refused.' }, status: 'denied', error: { message: 'denied' } })[1]).toBe(
      '  why it was refused: Reading .env is refused. (rule deny.secrets)',
    );
  });

  it('an allowed call, or one asked and approved, is its line and its result alone', () => {
    expect(callOutcomeLines({ tool: 'everything.echo', decision: { effect: 'allow', ruleId: 'default.read-only', reason: 'reads' }, status: 'succeeded', result: { ok: 1 } })).toEqual([
      '[everything.echo] allow → succeeded',
      '{\n  "ok": 1\n}',
    ]);
    expect(callOutcomeLines({ tool: 'fs.write', decision: { effect: 'ask', ruleId: 'default.mutating', reason: 'changes' }, status: 'succeeded' })).toEqual(['[fs.write] ask → succeeded']);
  });
});
