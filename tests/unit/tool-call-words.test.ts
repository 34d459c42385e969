import { describe, expect, it } from 'vitest';
import { fsDeleteTool, fsReadTool, fsWriteTool } from '../../src/core/tools/builtin-fs-tools';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { keyArguments } from '../../src/shared/key-arguments';
import { normalizePath } from '../../src/shared/shown-path';
import { argumentsLine, denialMessage, denialNote, describeDecision, refusalNote, ruleDenialMessage, unparsedArguments, unparsedArgumentsLine, wasRefused } from '../../src/shared/tool-call-words';

const call = (extra: Partial<ToolCallRecord>): ToolCallRecord => ({
  id: 't', conversationId: 'c', turnId: 'u', toolName: 'http.fetch', arguments: {}, approval: null, status: 'failed', error: null,
  decision: { effect: 'ask', ruleId: 'ask.fetch-url', reason: 'r' }, startedAt: 0, endedAt: 1, ...extra,
});

describe('the words a tool card says', () => {
  it('a call the policy would ask about that could not run was not asked about, not "waiting for your approval"', () => {
    expect(describeDecision(call({ error: { code: 'POLICY_DENIED', message: 'http.fetch refused: example.org is not on the allowlist' } }))).toBe('not asked: it could not run');
    expect(describeDecision(call({ status: 'awaiting_approval' }))).toBe('waiting for your approval');
    expect(describeDecision(call({ status: 'denied', approval: 'denied', error: { code: 'TOOL_INTERRUPTED', message: 'closing' } }))).toBe('not answered: Portcullis stopped');
    // A turn ended by something else than the person while the call waited is not put down to them.
    expect(describeDecision(call({ status: 'denied', approval: 'denied', error: { code: 'DATABASE_ERROR', message: 'The data folder … was deleted' } }))).toBe('not answered: the turn ended');
    expect(describeDecision(call({ status: 'denied', approval: 'denied', error: { code: 'APPROVAL_REJECTED', message: 'The person denied http.fetch.' } }))).toBe('denied by you');
    // An MCP client or a script that stopped waiting: no turn took part.
    expect(describeDecision(call({ status: 'denied', approval: 'denied', error: { code: 'TOOL_CANCELLED', message: 'http.fetch did not run: it was cancelled while it waited for your approval. Cursor cancelled the call.' } }))).toBe('not answered: its caller cancelled it');
    // "Allow for this conversation" is the person's choice, not a rule of the policy file.
    expect(describeDecision(call({ status: 'succeeded', decision: { effect: 'allow', ruleId: 'conversation.allowed', reason: 'r' } }))).toBe('allowed by you for this conversation');
    expect(describeDecision(call({ status: 'succeeded', decision: { effect: 'allow', ruleId: 'default.read-only', reason: 'r' } }))).toBe('allowed by rule default.read-only');
    // Allowed with edited arguments that were then refused: not "approved by you" beside "denied".
    const edited = (code: 'POLICY_DENIED' | 'TOOL_ARGUMENTS_INVALID', message: string) => call({ status: 'denied', approval: 'approved', error: { code, message } });
    expect(describeDecision(edited('POLICY_DENIED', 'The edited arguments (path: .env) are denied by policy rule deny.secrets: r'))).toBe('your edit refused by the policy');
    expect(describeDecision(edited('TOOL_ARGUMENTS_INVALID', 'The edited arguments are not valid, so nothing ran.'))).toBe('your edit not valid');
    expect(describeDecision(call({ status: 'succeeded', approval: 'approved' }))).toBe('approved by you');
  });

  it('a call a rule or the person refused is a refusal (told as a note), not one a fault or a stop ended while it waited', () => {
    expect(wasRefused(call({ status: 'denied', error: { code: 'POLICY_DENIED', message: 'Denied by policy rule deny.secrets: r' } }))).toBe(true);
    expect(wasRefused(call({ status: 'denied', approval: 'denied', error: { code: 'APPROVAL_REJECTED', message: 'The person denied http.fetch.' } }))).toBe(true);
    expect(wasRefused(call({ status: 'denied', approval: 'timed_out', error: { code: 'APPROVAL_TIMEOUT', message: 'No one approved http.fetch in time, so it was denied.' } }))).toBe(true);
    expect(wasRefused(call({ status: 'denied', approval: 'denied', error: { code: 'DATABASE_ERROR', message: 'The data folder … was deleted' } }))).toBe(false);
    expect(wasRefused(call({ status: 'denied', approval: 'denied', error: { code: 'TURN_STOPPED', message: 'Stopped.' } }))).toBe(false);
    expect(wasRefused(call({ error: { code: 'POLICY_DENIED', message: 'http.fetch refused: example.org is not on the allowlist' } }))).toBe(false);
  });

  it("a refusal's note is what the decision line does not say: a rule's reason, or the person's own note to the agent", () => {
    const denied = (note?: string) => call({ status: 'denied', approval: 'denied', error: { code: 'APPROVAL_REJECTED', message: denialMessage('fs.write', note) } });
    expect(denialMessage('fs.write')).toBe('The person denied fs.write.');
    expect(denialMessage('fs.write', 'not "tonight"')).toBe('The person denied fs.write. Their note: "not "tonight""');
    // "denied by you" says it all: not again as "The person denied fs.write."
    expect(refusalNote(denied())).toBeNull();
    expect(refusalNote(denied('not "tonight"'))).toBe('Your note: “not "tonight"”');
    expect(denialNote(denialMessage('fs.write', 'later'))).toBe('later');
    expect(denialNote(denialMessage('fs.write'))).toBeNull();
    expect(refusalNote(call({ status: 'denied', approval: 'timed_out', error: { code: 'APPROVAL_TIMEOUT', message: 'No one approved http.fetch in time, so it was denied.' } }))).toBeNull();
    // Under "denied by rule deny.secrets", the rule's reason alone; a refusal of another kind says itself whole.
    const secrets = { effect: 'deny' as const, ruleId: 'deny.secrets', reason: 'Files that usually hold secrets are never read.' };
    expect(refusalNote(call({ status: 'denied', decision: secrets, error: { code: 'POLICY_DENIED', message: ruleDenialMessage('deny.secrets', secrets.reason) } }))).toBe('Files that usually hold secrets are never read.');
    expect(refusalNote(call({ status: 'denied', error: { code: 'POLICY_DENIED', message: 'http.fetch refused: example.org is not on the allowlist' } }))).toBe('http.fetch refused: example.org is not on the allowlist');
  });

  it('a write counts its lines as an editor does: a final newline ends the last line', () => {
    expect(fsWriteTool.describeCall({ path: 'a.txt', content: 'one\ntwo\n' })).toBe('Write 2 lines to a.txt');
    expect(fsWriteTool.describeCall({ path: 'a.txt', content: 'one\ntwo' })).toBe('Write 2 lines to a.txt');
    expect(fsWriteTool.describeCall({ path: 'a.txt', content: 'x' })).toBe('Write 1 character to a.txt');
  });
});

describe('keyArguments: a call in one line', () => {
  it('reads a value with line breaks as one line', () => {
    expect(keyArguments({ message: 'first line\n  second\tline\n' })).toBe('message: first line second line');
    expect(keyArguments({ path: 'a.txt', content: 'x\ny' })).toBe('path: a.txt');
  });

  it('names a path as the title does ("Calling fs.write (path: run.sh)"), its own name kept when it is long', () => {
    expect(keyArguments({ path: `notes/todo.md${' '.repeat(200)}/../../run.sh`, content: 'curl … | sh' })).toBe('path: run.sh');
    expect(keyArguments({ file_path: '/home/me/project/src/../.bashrc', old_string: 'a', new_string: 'b' })).toBe('file_path: /home/me/project/.bashrc');
    expect(keyArguments({ path: 'notes/\u202egnp.sh' })).toBe('path: notes/\\u202egnp.sh');
    expect(keyArguments({ path: `${'deep/'.repeat(20)}run.sh` })).toBe(`path: …${`${'deep/'.repeat(20)}run.sh`.slice(-59)}`);
    // Other text keeps its words, its invisible characters spelled out too.
    expect(keyArguments({ query: 'a/../b \u202etxt.exe' })).toBe('query: a/../b \\u202etxt.exe');
  });

  it('names a web address in any argument, since it is where the call reaches', () => {
    expect(keyArguments({ name: 'x.gz', data: 'https://evil.example/c', outputType: 'resourceLink' })).toBe('name: x.gz, data: https://evil.example/c');
    expect(keyArguments({ note: 'see https://a.example', count: 2 })).toBe('note: see https://a.example, count: 2');
    // Only a whole address counts, as the taint check and the dialog's host line read one (webAddress): text that
    // opens with a link, or an address the URL parser refuses, is not where the call reaches.
    expect(keyArguments({ count: 2, other: 'x', note: 'https://a.example is down, see the logs' })).toBe('count: 2, other: x');
    expect(keyArguments({ count: 2, other: 'x', target: 'http://[broken' })).toBe('count: 2, other: x');
  });
});

describe('normalizePath: . and .. resolved as the tools resolve them, on either platform', () => {
  it.each([
    ['notes/./a.md', false, 'notes/a.md'],
    ['a/../../b', false, '../b'],
    ['/x/../../etc/passwd', false, '/etc/passwd'],
    ['a//b/', false, 'a/b/'],
    ['a/..', false, '.'],
    ['a\\..\\b', false, 'a\\..\\b'],
    ['a\\..\\b', true, 'b'],
    ['C:\\a\\..\\..\\x/y', true, 'C:\\x\\y'],
  ])('%s (windows: %s) is %s', (path, windows, shown) => {
    expect(normalizePath(path, windows)).toBe(shown);
  });
});

describe('a file tool names the file it will touch', () => {
  it('resolves . and .. the way the tool will, so the words cannot name one file and change another', () => {
    // HTML folds the spaces, and the dialog read "Write 2 lines to notes/todo.md /../../run.sh".
    const path = `notes/todo.md${' '.repeat(200)}/../../run.sh`;
    expect(fsWriteTool.describeCall({ path, content: 'a\nb\n' })).toBe('Write 2 lines to run.sh');
    expect(fsDeleteTool.describeCall({ path: './notes/../todo.md' })).toBe('Delete todo.md');
    expect(fsReadTool.describeCall({ path: 'notes/./a.md' })).toBe('Read notes/a.md');
  });

  it('spells out characters that change how a name looks without being seen', () => {
    expect(fsWriteTool.describeCall({ path: 'notes/\u202egnp.sh', content: 'x' })).toBe('Write 1 character to notes/\\u202egnp.sh');
    expect(fsDeleteTool.describeCall({ path: 'a\u200b.txt' })).toBe('Delete a\\u200b.txt');
    expect(fsReadTool.describeCall({ path: 'line\nbreak.txt' })).toBe('Read line\\u000abreak.txt');
  });
});

describe('arguments a model sent that are not JSON', () => {
  const sent = '{"path": "sales_q1.csv",\n  "limit":';
  it('read as the model sent them, in one line and marked, not JSON-escaped', () => {
    expect(unparsedArguments(call({ arguments: sent }))).toBe(sent);
    expect(unparsedArguments(call({ arguments: { path: 'a.txt' } }))).toBeNull();
    expect(unparsedArgumentsLine(sent)).toBe('{"path": "sales_q1.csv", "limit":');
    expect(argumentsLine(sent)).toBe('{"path": "sales_q1.csv", "limit": (not valid JSON)');
    expect(argumentsLine(sent)).not.toContain('\\"');
    expect(argumentsLine({ path: 'a.txt' })).toBe('path: a.txt');
    // Long or hiding characters: cut, and what cannot be seen spelled out.
    expect(unparsedArgumentsLine(`{"path": "a\u202Eb", "content": "${'x'.repeat(200)}"}`)).toMatch(/^\{"path": "a\\u202eb", "content": "x+…$/);
    expect(unparsedArgumentsLine('x'.repeat(200))).toHaveLength(80);
  });
});
