import { describe, expect, it } from 'vitest';
import { approvalGateFor, approveWords, parseApproveOption } from '../../src/cli/approve-option';
import { CliUsageError } from '../../src/cli/command';
import type { ApprovalRequest } from '../../src/shared/domain/approval';

const asking = (toolName: string) => ({ toolName }) as ApprovalRequest;

describe('--approve', () => {
  it('takes none (the default), all, ask, or a list of tool names and globs', () => {
    expect(parseApproveOption(undefined)).toBe('none');
    for (const word of ['none', 'all', 'ask'] as const) expect(parseApproveOption(word)).toBe(word);
    expect(parseApproveOption('github.get_*, memory.read_graph')).toEqual({ tools: ['github.get_*', 'memory.read_graph'], said: 'github.get_*,memory.read_graph' });
    // A brace glob keeps its commas; a glob over the server's name needs no dot.
    expect(parseApproveOption('git.{status,log},everything*')).toEqual({ tools: ['git.{status,log}', 'everything*'], said: 'git.{status,log},everything*' });
    expect(approveWords(parseApproveOption('fs.read'))).toBe('--approve "fs.read"');
    expect(approveWords('all')).toBe('--approve all');
  });

  it.each([
    ['', 'has an empty tool name or glob'],
    ['  ', 'has an empty tool name or glob'],
    ['fs.read,,fs.write', 'has an empty tool name or glob'],
    ['fs.read,', 'has an empty tool name or glob'],
    ['fs.read fs.write', '"fs.read fs.write" has " ", which no tool name or glob holds'],
    ['fs.read;rm', 'has ";", which no tool name or glob holds'],
    ['"fs.read"', 'has "\\"", which no tool name or glob holds'],
    ['filesystem/read', 'has "/", which no tool name or glob holds'],
    ['al', '"al" is none of those'],
    ['!fs.delete', 'only takes tools out'],
    ['!fs.delete,!shell.*', 'only takes tools out'],
    ['None', '"None" is none of those'],
    [`${'a'.repeat(199)}.b`, 'is at most 200 characters'],
    [Array.from({ length: 51 }, (_, i) => `s.t${i}`).join(','), 'at most 50 tool names or globs'],
  ])('refuses %j as a usage mistake: %s', (said, words) => {
    expect(() => parseApproveOption(said)).toThrow(CliUsageError);
    expect(() => parseApproveOption(said)).toThrow(words);
  });

  it('a list approves the asking calls of the tools it matches and denies the others, unasked, saying which', async () => {
    const approve = parseApproveOption('github.get_*,memory.read_graph');
    if (typeof approve === 'string') throw new Error('a list');
    const gate = approvalGateFor(approve);
    expect(await gate.request(asking('github.get_issue'))).toEqual({ outcome: 'approved', note: 'approved by --approve "github.get_*,memory.read_graph" (github.get_*)', decidedBy: 'script: --approve github.get_*,memory.read_graph' });
    expect(await gate.request(asking('memory.read_graph'))).toMatchObject({ outcome: 'approved' });
    expect(await gate.request(asking('github.create_issue'))).toEqual({
      outcome: 'denied',
      note: 'denied by --approve "github.get_*,memory.read_graph": github.create_issue matches none of its tools; add it to the list to let such calls run',
      decidedBy: 'script: --approve github.get_*,memory.read_graph',
    });
    // A glob stays within the name's parts as written: memory.read_graph is not memory.read_graph_all.
    expect(await gate.request(asking('memory.read_graph_all'))).toMatchObject({ outcome: 'denied' });
    expect(await approvalGateFor('all').request(asking('x.y'))).toMatchObject({ outcome: 'approved' });
  });

  it('a !glob takes tools out of those the list approves, and approves no other tool', async () => {
    const approve = parseApproveOption('memory.*,!memory.delete_entities');
    if (typeof approve === 'string') throw new Error('a list');
    const gate = approvalGateFor(approve);
    expect(await gate.request(asking('memory.read_graph'))).toMatchObject({ outcome: 'approved', note: expect.stringContaining('(memory.*)') });
    for (const tool of ['memory.delete_entities', 'fs.delete', 'shell.run', 'github.delete_repo']) {
      expect(await gate.request(asking(tool)), tool).toMatchObject({ outcome: 'denied' });
    }
    expect(await approvalGateFor('none').request(asking('x.y'))).toMatchObject({ outcome: 'denied' });
  });
});
