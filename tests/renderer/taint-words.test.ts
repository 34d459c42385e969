import { describe, expect, it } from 'vitest';
import { taintConsequence, taintWords } from '../../src/renderer/features/approvals/taint-words';

const source = (description: string) => ({ description });
const server = 'output of filesystem.read_file on filesystem, a server Portcullis does not control';

describe('where the conversation read untrusted content, as the approval dialog says it', () => {
  it('names a source brought by several calls once, with how many', () => {
    expect(taintWords([source(server), source(server)])).toBe(`${server} (2 calls)`);
  });

  it('names the newest sources first and counts those past three', () => {
    const taint = ['web content from a.example', server, 'web content from b.example', 'web content from c.example', 'web content from d.example'].map(source);
    expect(taintWords(taint)).toBe('web content from d.example; web content from c.example; web content from b.example; and 2 other sources');
    expect(taintWords(taint.slice(0, 4))).toBe(`web content from c.example; web content from b.example; ${server}; and 1 other source`);
  });

  it('a single source reads as itself', () => {
    expect(taintWords([source(server)])).toBe(server);
  });
});

describe('what the untrusted content may have to do with the call, as the approval dialog says it', () => {
  const read = { toolName: 'fs.read', toolCallId: 'call-1', description: 'a file outside the trusted folders: inbox/mail.txt', at: 1 };

  it('says hidden instructions may be behind a call a model that reads tool results asked for', () => {
    expect(taintConsequence({ taint: [read] })).toBe('Instructions hidden in it may be behind this call.');
  });

  it('says the built-in model planned the call from the message alone, so the content did not choose it', () => {
    expect(taintConsequence({ taint: [read], plannedFromMessage: 'message-2' })).toBe(
      'The built-in model planned this call only from the message it answers and follows no instructions in what tools return, so that content did not choose it.',
    );
  });

  it('says a server\'s words may be behind the built-in model\'s call when the message it answers held them', () => {
    const prompt = { toolName: 'notes prompt', toolCallId: 'message-2', description: "the notes server's prompt tidy", at: 2 };
    expect(taintConsequence({ taint: [read, prompt], plannedFromMessage: 'message-2' })).toBe(
      "The built-in model planned this call from the message it answers, which held a server's words: instructions in them may be behind it.",
    );
  });
});
